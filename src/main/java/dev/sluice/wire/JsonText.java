package dev.sluice.wire;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds one JSON object as UTF-8 bytes, field by field, without a JSON library's generator: records made
 * for every request (the audit line, the ledger's journal line, the in-flight slot) are written
 * straight into one byte array. {@link #bytes()} leaves the object open (no closing brace, for a writer
 * that appends a field of its own); {@link #closedBytes()} closes it.
 *
 * <p>Why bytes and not a {@code StringBuilder}: three records of about thirty fields are made per request,
 * and a builder costs a copy per value, another for {@code toString()} and a third for {@code getBytes()}.
 * Here an ASCII value (nearly all of them: ids, names, models) is one pass that checks and stores each
 * character, and a field name (nearly always a constant) is one copy of its encoded {@code "name":}.
 * The output is the same as encoding the text form with {@code String.getBytes(UTF_8)}, down to an unpaired
 * surrogate becoming {@code ?}.
 */
public final class JsonText {
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    /** Field names are constants in the code, plus a caller's tag names: a bounded number is kept encoded. */
    private static final int MAX_NAMES = 512;
    private static final ConcurrentHashMap<String, byte[]> NAMES = new ConcurrentHashMap<>();

    private byte[] buf;
    private int len;
    private boolean first = true;
    private int depth = 1;

    public JsonText(int capacity) {
        buf = new byte[Math.max(16, capacity)];
        buf[len++] = '{';
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
        number(value);
        return this;
    }

    public JsonText field(String name, boolean value) {
        name(name);
        put(value ? TRUE : FALSE);
        return this;
    }

    /** A value already in JSON form (a number with decimals); the caller guarantees it. */
    public JsonText raw(String name, String json) {
        name(name);
        text(json, 0);
        return this;
    }

    /** A number field left out when it is zero (shorter lines for the common case). */
    public JsonText nonZero(String name, long value) {
        return value == 0 ? this : field(name, value);
    }

    /** Opens a nested object under {@code name}; close it with {@link #end()}. */
    public JsonText object(String name) {
        name(name);
        room(1);
        buf[len++] = '{';
        first = true;
        depth++;
        return this;
    }

    public JsonText end() {
        room(1);
        buf[len++] = '}';
        first = false;
        depth--;
        return this;
    }

    private void name(String name) {
        if (!first) {
            room(1);
            buf[len++] = ',';
        }
        first = false;
        byte[] encoded = NAMES.get(name);
        if (encoded == null) {
            encoded = encodeName(name);
            if (NAMES.size() < MAX_NAMES) {
                NAMES.putIfAbsent(name, encoded);
            }
        }
        put(encoded);
    }

    /** {@code "name":} as bytes, written by the same code as any value so the two can never differ. */
    private static byte[] encodeName(String name) {
        JsonText t = new JsonText(name.length() + 8);
        t.len = 0;
        t.quote(name);
        t.room(1);
        t.buf[t.len++] = ':';
        return Arrays.copyOf(t.buf, t.len);
    }

    private void quote(String s) {
        room(s.length() + 2);
        buf[len++] = '"';
        text(s, 1);
        room(1);
        buf[len++] = '"';
    }

    /**
     * Writes {@code s} as UTF-8; with {@code escape} 1, the characters JSON (and a JavaScript line reader)
     * needs escaped are escaped. The loop stores plain ASCII directly and leaves it at the first other
     * character, which the slow path handles one at a time.
     */
    private void text(String s, int escape) {
        int n = s.length();
        room(n);
        int i = 0;
        while (i < n) {
            int at = len;
            byte[] b = buf;
            // Room for n bytes was made above and each plain character takes one, so this loop needs no check.
            while (i < n) {
                char c = s.charAt(i);
                if (c >= 0x80 || (escape != 0 && (c < 0x20 || c == '"' || c == '\\'))) {
                    break;
                }
                b[at++] = (byte) c;
                i++;
            }
            len = at;
            if (i < n) {
                i = special(s, i, escape != 0);
                room(n - i);
            }
        }
    }

    /** Writes the character at {@code i} that is not plain ASCII; returns the index after it. */
    private int special(String s, int i, boolean escape) {
        char c = s.charAt(i);
        room(6);
        if (escape && c < 0x80) {
            switch (c) {
                case '"' -> ascii2('\\', '"');
                case '\\' -> ascii2('\\', '\\');
                case '\n' -> ascii2('\\', 'n');
                case '\r' -> ascii2('\\', 'r');
                case '\t' -> ascii2('\\', 't');
                default -> unicodeEscape(c);
            }
            return i + 1;
        }
        if (escape && (c == '\u2028' || c == '\u2029')) {
            unicodeEscape(c); // JavaScript reads these as line breaks: a line stays one line in a log viewer
            return i + 1;
        }
        if (c < 0x800) {
            buf[len++] = (byte) (0xc0 | (c >> 6));
            buf[len++] = (byte) (0x80 | (c & 0x3f));
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(i + 1));
                buf[len++] = (byte) (0xf0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (cp & 0x3f));
                return i + 2;
            }
            buf[len++] = '?'; // what String.getBytes(UTF_8) writes for a lone surrogate
            return i + 1;
        }
        buf[len++] = (byte) (0xe0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
        return i + 1;
    }

    private void ascii2(char a, char b) {
        buf[len++] = (byte) a;
        buf[len++] = (byte) b;
    }

    private void unicodeEscape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xf];
        buf[len++] = HEX[(c >> 8) & 0xf];
        buf[len++] = HEX[(c >> 4) & 0xf];
        buf[len++] = HEX[c & 0xf];
    }

    private void number(long value) {
        if (value == Long.MIN_VALUE) {
            text(Long.toString(value), 0);
            return;
        }
        room(20);
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int at = len + digits - 1; at >= len; at--) {
            buf[at] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        len += digits;
    }

    private void put(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void room(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** The object so far, still open. */
    public byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    /** The object, closed. */
    public byte[] closedBytes() {
        while (depth > 0) {
            end();
        }
        return bytes();
    }
}
