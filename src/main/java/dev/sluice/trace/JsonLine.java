package dev.sluice.trace;

import java.nio.charset.StandardCharsets;

/**
 * Builds one JSON object as text, field by field, without a JSON library: the audit line is made for
 * every request, so it is written straight into one builder and encoded once. The object is left
 * open (no closing brace), for the writer to append its chain value.
 */
final class JsonLine {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder sb;
    private boolean first = true;

    JsonLine(int capacity) {
        sb = new StringBuilder(capacity).append('{');
    }

    JsonLine field(String name, String value) {
        if (value != null) {
            name(name);
            quote(value);
        }
        return this;
    }

    JsonLine field(String name, long value) {
        name(name);
        sb.append(value);
        return this;
    }

    JsonLine field(String name, boolean value) {
        name(name);
        sb.append(value);
        return this;
    }

    /** A value already in JSON form (a number with decimals); the caller guarantees it. */
    JsonLine raw(String name, String json) {
        name(name);
        sb.append(json);
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
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    byte[] bytes() {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
