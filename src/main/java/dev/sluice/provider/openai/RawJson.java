package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A span of the client's own JSON bytes, written as they are by a generator's {@code writeRawValue}: a tool's
 * description and input schema cross the translation as copied bytes, never decoded and re-escaped, which is
 * most of the cost of translating Claude Code's 60 KB requests.
 */
public final class RawJson implements SerializableString {
    private final byte[] json;
    private final int from;
    private final int to;

    public RawJson(byte[] json, int from, int to) {
        this.json = json;
        this.from = from;
        this.to = to;
    }

    /** Spans up to this long go through the generator's buffer; longer ones are appended past it. */
    static final int INLINE = 512;

    /**
     * Writes this span as the generator's next value. When the generator writes into a {@link SpanOutput}, a long
     * span is appended to it directly (the generator writes the separator, is flushed, and the bytes follow), so it
     * is copied once; otherwise it goes through {@link JsonGenerator#writeRawValue(SerializableString)}.
     */
    public void writeValue(JsonGenerator g) throws IOException {
        if (to - from > INLINE && g.getOutputTarget() instanceof SpanOutput out) {
            g.writeRawValue("");
            g.flush();
            out.write(json, from, to - from);
        } else {
            g.writeRawValue(this);
        }
    }

    @Override
    public String getValue() {
        return new String(json, from, to - from, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        int len = to - from;
        if (offset + len > buffer.length) {
            return -1;
        }
        System.arraycopy(json, from, buffer, offset, len);
        return len;
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOfRange(json, from, to);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(json, from, to - from);
        return to - from;
    }

    // The rest of the interface is for char-based generators and quoting, which raw values never use.
    @Override
    public char[] asQuotedChars() {
        return new SerializedString(getValue()).asQuotedChars();
    }

    @Override
    public byte[] asQuotedUTF8() {
        return new SerializedString(getValue()).asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return new SerializedString(getValue()).appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return new SerializedString(getValue()).appendQuoted(buffer, offset);
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String v = getValue();
        if (offset + v.length() > buffer.length) {
            return -1;
        }
        v.getChars(0, v.length(), buffer, offset);
        return v.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] q = asQuotedUTF8();
        out.write(q);
        return q.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        byte[] q = asQuotedUTF8();
        if (q.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(q);
        return q.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        int len = to - from;
        if (len > buffer.remaining()) {
            return -1;
        }
        buffer.put(json, from, len);
        return len;
    }
}
