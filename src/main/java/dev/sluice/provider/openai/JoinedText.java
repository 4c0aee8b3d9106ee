package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One JSON string made of escaped string contents of the request, joined by an escaped separator (and after an
 * optional prefix), without decoding any of them: the concatenation of valid escaped contents is a valid escaped
 * content. Written into a {@link SpanOutput}, the parts are copied once, straight from the request.
 */
final class JoinedText {
    private final byte[] json;
    private final byte[] prefix;
    private final byte[] separator;
    private final boolean afterTextOnly;
    /** {@code [from, to)} pairs of escaped contents (inside the quotes). */
    private int[] spans = new int[8];
    private int count;

    /**
     * @param prefix        and separator: already escaped ASCII, e.g. {@code "\\n\\n"}
     * @param afterTextOnly a separator only once some part had text (the tree path's
     *                      {@code sb.append(sb.isEmpty() ? "" : sep)} joins), else between every two parts
     */
    JoinedText(byte[] json, String prefix, String separator, boolean afterTextOnly) {
        this.json = json;
        this.afterTextOnly = afterTextOnly;
        this.prefix = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.separator = separator.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Adds the contents of the JSON string whose quotes are at {@code quote} and {@code end - 1}. */
    JoinedText add(int quote, int end) {
        if (count == spans.length) {
            spans = Arrays.copyOf(spans, count * 2);
        }
        spans[count++] = quote + 1;
        spans[count++] = end - 1;
        return this;
    }

    /** Adds an empty part (an absent text, which the tree path reads as {@code ""}). */
    JoinedText addEmpty() {
        if (count == spans.length) {
            spans = Arrays.copyOf(spans, count * 2);
        }
        spans[count++] = 0;
        spans[count++] = 0;
        return this;
    }

    /** True when the text decodes to the empty string (no prefix, every part empty). */
    boolean isEmpty() {
        if (prefix.length > 0) {
            return false;
        }
        for (int i = 0; i < count; i += 2) {
            if (spans[i + 1] > spans[i]) {
                return false;
            }
        }
        return true;
    }

    /** Writes the text as the generator's next value, a JSON string. */
    void writeValue(JsonGenerator g) throws IOException {
        if (count == 2 && prefix.length == 0 && spans[1] > spans[0]) {
            new RawJson(json, spans[0] - 1, spans[1] + 1).writeValue(g);
        } else if (g.getOutputTarget() instanceof SpanOutput out) {
            g.writeRawValue("");
            g.flush();
            write(out);
        } else {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            write(joined);
            byte[] bytes = joined.toByteArray();
            g.writeRawValue(new RawJson(bytes, 0, bytes.length));
        }
    }

    private void write(OutputStream out) throws IOException {
        out.write('"');
        out.write(prefix);
        boolean any = false;
        for (int i = 0; i < count; i += 2) {
            if (i > 0 && (any || !afterTextOnly)) {
                out.write(separator);
            }
            out.write(json, spans[i], spans[i + 1] - spans[i]);
            any |= spans[i + 1] > spans[i];
        }
        out.write('"');
    }
}
