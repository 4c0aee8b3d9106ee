package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.wire.body.TopLevelFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's {@code system} (a string, or text blocks) as one JSON string for the OpenAI system message, built
 * from the client's escaped bytes: a string is copied whole; text blocks' escaped contents are joined with an
 * escaped blank line. Claude Code's system prompt is about half of its request, and is never decoded here; written
 * into a {@link SpanOutput}, the blocks' bytes are copied once, straight from the request.
 */
final class SystemText {
    private static final byte[] TEXT = "\"text\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] BLANK_LINE = "\\n\\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] json;
    /** The escaped contents of each text, without their quotes: {@code [from, to)} pairs. */
    private final int[] spans;

    private SystemText(byte[] json, int[] spans) {
        this.json = json;
        this.spans = spans;
    }

    /** The system text, or null when there is none (or it is empty). */
    static SystemText of(byte[] json, TopLevelFields.Field system) {
        if (system == null) {
            return null;
        }
        int start = system.valueStart();
        if (json[start] == '"') {
            return system.valueEnd() - start > 2 ? new SystemText(json, new int[] {start + 1, system.valueEnd() - 1}) : null;
        }
        if (json[start] != '[') {
            return null;
        }
        List<TopLevelFields> blocks = JsonSpans.objects(json, system);
        int[] spans = new int[blocks.size() * 2];
        int n = 0;
        for (TopLevelFields block : blocks) {
            if (block == null) {
                continue;
            }
            TopLevelFields.Field type = block.find("type");
            TopLevelFields.Field text = block.find("text");
            if (type == null || text == null || json[text.valueStart()] != '"'
                    || !java.util.Arrays.equals(json, type.valueStart(), type.valueEnd(), TEXT, 0, TEXT.length)) {
                continue;
            }
            spans[n++] = text.valueStart() + 1;
            spans[n++] = text.valueEnd() - 1;
        }
        return n == 0 ? null : new SystemText(json, java.util.Arrays.copyOf(spans, n));
    }

    /** Writes the text as the generator's next value, a JSON string. */
    void writeValue(JsonGenerator g) throws IOException {
        if (spans.length == 2) {
            new RawJson(json, spans[0] - 1, spans[1] + 1).writeValue(g);
            return;
        }
        if (g.getOutputTarget() instanceof SpanOutput out) {
            g.writeRawValue("");
            g.flush();
            writeJoined(out);
        } else {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            writeJoined(joined);
            byte[] bytes = joined.toByteArray();
            g.writeRawValue(new RawJson(bytes, 0, bytes.length));
        }
    }

    private void writeJoined(java.io.OutputStream out) throws IOException {
        out.write('"');
        for (int i = 0; i < spans.length; i += 2) {
            if (i > 0) {
                out.write(BLANK_LINE);
            }
            out.write(json, spans[i], spans[i + 1] - spans[i]);
        }
        out.write('"');
    }
}
