package dev.sluice.wire;

import java.nio.charset.StandardCharsets;

/**
 * A validating JSON cursor over bytes, for the one pass every request body gets. It walks values
 * without building anything: strings are scanned a vector register at a time for the few bytes that
 * need a closer look ({@link StringScan}: quote, backslash, control characters, non-ASCII), so the long prompt and tool text
 * of a coding agent's request costs little more than a memory scan, while the grammar, string
 * escapes and UTF-8 are still checked to the letter (RFC 8259), as a parser would.
 *
 * <p>Errors are {@link JsonError}s with the byte offset of the first offending byte. Not thread-safe;
 * one per body.
 */
public final class JsonCursor {

    private final byte[] b;
    private final int end;
    private final int maxDepth;
    private int pos;

    public JsonCursor(byte[] bytes, int from, int to, int maxDepth) {
        this.b = bytes;
        this.pos = from;
        this.end = to;
        this.maxDepth = maxDepth;
    }

    /** The offset of the next byte to read. */
    public int pos() {
        return pos;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    /** Skips whitespace; returns the next byte, or -1 at the end. */
    public int peek() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c & 0xff;
            }
            pos++;
        }
        return -1;
    }

    /** Consumes {@code c} (after whitespace), or fails naming what was expected. */
    public void expect(char c, String what) {
        if (peek() != c) {
            throw unexpected(what);
        }
        pos++;
    }

    /** Consumes {@code c} if it is next (after whitespace). */
    public boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Skips one whole value of any kind, validating it; returns the offset just after it. */
    public int skipValue() {
        skipValue(0);
        return pos;
    }

    private void skipValue(int depth) {
        int c = peek();
        switch (c) {
            case '"' -> skipString();
            case '{' -> skipObject(depth + 1);
            case '[' -> skipArray(depth + 1);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            case -1 -> throw new JsonError("unexpected end of input", pos);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    skipNumber();
                } else {
                    throw unexpected("a value");
                }
            }
        }
    }

    private void skipObject(int depth) {
        checkDepth(depth);
        pos++;
        if (consume('}')) {
            return;
        }
        do {
            if (peek() != '"') {
                throw unexpected("a field name in double quotes");
            }
            skipString();
            expect(':', "':' after a field name");
            skipValue(depth);
        } while (consume(','));
        expect('}', "',' or '}' in an object");
    }

    private void skipArray(int depth) {
        checkDepth(depth);
        pos++;
        if (consume(']')) {
            return;
        }
        do {
            skipValue(depth);
        } while (consume(','));
        expect(']', "',' or ']' in an array");
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw new JsonError("nested deeper than " + maxDepth + " levels", pos);
        }
    }

    /** Enters an array or object the caller walks itself (depth 1 below its parent). */
    public void enter(char open) {
        expect(open, open == '{' ? "an object" : "an array");
    }

    private void literal(String word) {
        int n = word.length();
        if (pos + n > end) {
            throw new JsonError("unexpected end of input", pos);
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw new JsonError("unrecognised token", pos);
            }
        }
        pos += n;
        if (pos < end && isWordByte(b[pos])) {
            throw new JsonError("unrecognised token", pos - n);
        }
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c < 0;
    }

    /** Skips a number; returns true when it was an integer (no fraction, no exponent). */
    public boolean skipNumber() {
        int start = pos;
        if (pos < end && b[pos] == '-') {
            pos++;
        }
        if (pos >= end) {
            throw new JsonError("unexpected end of input in a number", start);
        }
        if (b[pos] == '0') {
            pos++;
        } else if (b[pos] >= '1' && b[pos] <= '9') {
            digits();
        } else {
            throw new JsonError("a number needs a digit", pos);
        }
        boolean integer = true;
        if (pos < end && b[pos] == '.') {
            pos++;
            integer = false;
            if (!digits()) {
                throw new JsonError("a decimal point must be followed by a digit", pos);
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            integer = false;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (!digits()) {
                throw new JsonError("an exponent must have a digit", pos);
            }
        }
        if (pos < end && isWordByte(b[pos])) {
            throw new JsonError("unrecognised token", start);
        }
        return integer;
    }

    private boolean digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    /**
     * Skips a string at the cursor (its opening quote); returns true when it held an escape. Every
     * byte is checked: no raw control characters, valid escapes, valid UTF-8.
     */
    public boolean skipString() {
        if (peek() != '"') {
            throw unexpected("a string");
        }
        pos++;
        boolean escaped = false;
        while (true) {
            pos = StringScan.next(b, pos, end);
            if (pos >= end) {
                throw new JsonError("unexpected end of input in a string", pos);
            }
            int c = b[pos] & 0xff;
            if (c == '"') {
                pos++;
                return escaped;
            } else if (c == '\\') {
                escape();
                escaped = true;
            } else if (c < 0x20) {
                throw new JsonError("control character " + String.format("U+%04X", c) + " in a string (expected: escaped)", pos);
            } else if (c >= 0x80) {
                utf8(c);
            } else {
                pos++;
            }
        }
    }

    private void escape() {
        int at = pos;
        if (pos + 1 >= end) {
            throw new JsonError("unexpected end of input in an escape", at);
        }
        byte e = b[pos + 1];
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> pos += 2;
            case 'u' -> {
                if (pos + 6 > end) {
                    throw new JsonError("unexpected end of input in a \\u escape", at);
                }
                for (int i = 2; i < 6; i++) {
                    if (Character.digit(b[pos + i], 16) < 0) {
                        throw new JsonError("a \\u escape needs four hex digits", at);
                    }
                }
                pos += 6;
            }
            default -> throw new JsonError("unknown escape '\\" + (char) (e & 0xff) + "'", at);
        }
    }

    /** Checks one UTF-8 sequence starting with lead byte {@code c} (RFC 3629: no overlongs, no surrogates, up to U+10FFFF). */
    private void utf8(int c) {
        int need;
        int min = 0x80;
        int max = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) {
                min = 0xA0;
            } else if (c == 0xED) {
                max = 0x9F;
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) {
                min = 0x90;
            } else if (c == 0xF4) {
                max = 0x8F;
            }
        } else {
            throw new JsonError("invalid UTF-8 byte 0x" + Integer.toHexString(c), pos);
        }
        if (pos + need >= end) {
            throw new JsonError("truncated UTF-8 sequence", pos);
        }
        int second = b[pos + 1] & 0xff;
        if (second < min || second > max) {
            throw new JsonError("invalid UTF-8 sequence", pos);
        }
        for (int i = 2; i <= need; i++) {
            int cont = b[pos + i] & 0xff;
            if (cont < 0x80 || cont > 0xBF) {
                throw new JsonError("invalid UTF-8 sequence", pos);
            }
        }
        pos += need + 1;
    }

    /** The string between {@code start} (its opening quote) and {@code stop} (just after its closing quote), decoded. */
    public String text(int start, int stop, boolean escaped) {
        if (!escaped) {
            return new String(b, start + 1, stop - start - 2, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder(stop - start);
        int i = start + 1;
        int last = stop - 1;
        int run = i;
        while (i < last) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            byte e = b[i + 1];
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append((char) Integer.parseInt(new String(b, i + 2, 4, StandardCharsets.US_ASCII), 16));
                default -> sb.append((char) e);
            }
            i += e == 'u' ? 6 : 2;
            run = i;
        }
        sb.append(new String(b, run, last - run, StandardCharsets.UTF_8));
        return sb.toString();
    }

    /** The bytes {@code [from, to)} as ASCII text (a number's digits). */
    public String ascii(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    /** An error at the cursor: what was there, and what was expected. */
    public JsonError unexpected(String expected) {
        if (pos >= end) {
            return new JsonError("unexpected end of input (expected " + expected + ")", pos);
        }
        int c = b[pos] & 0xff;
        String what = c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
        return new JsonError("unexpected " + what + " (expected " + expected + ")", pos);
    }

    /** A JSON syntax error at a byte offset. */
    public static final class JsonError extends RuntimeException {
        private final int offset;

        public JsonError(String message, int offset) {
            super(message, null, false, false);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }
}
