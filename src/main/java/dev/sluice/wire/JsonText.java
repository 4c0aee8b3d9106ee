package dev.sluice.wire;

import java.nio.charset.StandardCharsets;

/**
 * Builds one JSON object as text, field by field, without a JSON library's generator: records made
 * for every request (the audit line, the ledger's journal line, the in-flight slot) are written
 * straight into one builder and encoded once. {@link #bytes()} leaves the object open (no closing
 * brace, for a writer that appends a field of its own); {@link #closedBytes()} closes it.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder sb;
    private boolean first = true;
    private int depth = 1;

    public JsonText(int capacity) {
        sb = new StringBuilder(capacity).append('{');
    }

    public JsonText field(String name, String value) {
        if (value != null) {
            name(name);
            quote(value);
        }
        return this;
    }

    public JsonText field(String name, long value) {
        name(name);
        sb.append(value);
        return this;
    }

    public JsonText field(String name, boolean value) {
        name(name);
        sb.append(value);
        return this;
    }

    /** A value already in JSON form (a number with decimals); the caller guarantees it. */
    public JsonText raw(String name, String json) {
        name(name);
        sb.append(json);
        return this;
    }

    /** A number field left out when it is zero (shorter lines for the common case). */
    public JsonText nonZero(String name, long value) {
        return value == 0 ? this : field(name, value);
    }

    /** Opens a nested object under {@code name}; close it with {@link #end()}. */
    public JsonText object(String name) {
        name(name);
        sb.append('{');
        first = true;
        depth++;
        return this;
    }

    public JsonText end() {
        sb.append('}');
        first = false;
        depth--;
        return this;
    }

    private void name(String name) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        quote(name);
        sb.append(':');
    }

    private void quote(String s) {
        sb.append('"');
        int n = s.length();
        int from = 0;
        // Most values (ids, names, models, field names) need no escape: copy the runs between escapes in bulk
        // instead of a character at a time (this was most of the cost of a ledger or audit line).
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
                continue;
            }
            sb.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> sb.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        sb.append(s, from, n);
        sb.append('"');
    }

    /** The object so far, still open. */
    public byte[] bytes() {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The object, closed. */
    public byte[] closedBytes() {
        while (depth > 0) {
            end();
        }
        return bytes();
    }
}
