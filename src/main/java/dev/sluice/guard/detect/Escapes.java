package dev.sluice.guard.detect;

import dev.sluice.guard.MalformedBodyException;

/**
 * Decodes one JSON escape sequence to UTF-8 without allocating: the result is packed in a long
 * (bytes 0-3: the UTF-8 bytes, first byte lowest; bits 32-35: their count; bits 40-47: how many raw
 * bytes the escape took). A surrogate pair written as two {@code \\u} escapes is one escape of 12 bytes;
 * a lone surrogate decodes to U+FFFD, as a lenient parser would.
 */
public final class Escapes {
    private Escapes() {
    }

    /** The packed result of each one-letter escape (backslash and n, quote, ...); 0 for the unicode escape and invalid ones. */
    private static final long[] SIMPLE = new long[256];

    static {
        String from = "\"\\/ntrbf";
        String to = "\"\\/\n\t\r\b\f";
        for (int i = 0; i < from.length(); i++) {
            SIMPLE[from.charAt(i)] = pack(to.charAt(i), 2);
        }
    }

    /** The byte a one-letter escape ({@code \\n} and the like; {@code c} is the byte after the backslash) decodes to, or -1. */
    public static int oneLetter(int c) {
        long simple = SIMPLE[c & 0xff];
        return simple == 0 ? -1 : (int) simple & 0xff;
    }

    /** Decodes the escape whose backslash is at {@code p}; {@code end} bounds the string. */
    public static long decode(byte[] b, int p, int end) {
        if (p + 1 >= end) {
            throw new MalformedBodyException("unterminated escape", p);
        }
        int c = b[p + 1];
        long simple = SIMPLE[c & 0xff];
        if (simple != 0) {
            return simple;
        }
        int cp;
        int raw = 2;
        switch (c) {
            case '"', '\\', '/' -> cp = c;
            case 'n' -> cp = '\n';
            case 't' -> cp = '\t';
            case 'r' -> cp = '\r';
            case 'b' -> cp = '\b';
            case 'f' -> cp = '\f';
            case 'u' -> {
                cp = hex4(b, p + 2, end);
                raw = 6;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (p + 11 < end && b[p + 6] == '\\' && b[p + 7] == 'u') {
                        int low = hex4(b, p + 8, end);
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                            raw = 12;
                        } else {
                            cp = 0xFFFD;
                        }
                    } else {
                        cp = 0xFFFD;
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
            }
            default -> throw new MalformedBodyException("invalid escape \\" + (char) (c & 0x7f), p);
        }
        return pack(cp, raw);
    }

    private static int hex4(byte[] b, int p, int end) {
        if (p + 4 > end) {
            throw new MalformedBodyException("truncated \\u escape", p - 2);
        }
        int v = 0;
        for (int i = p; i < p + 4; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                throw new MalformedBodyException("invalid hex digit in \\u escape", i);
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static long pack(int cp, int raw) {
        long bytes;
        int n;
        if (cp < 0x80) {
            bytes = cp;
            n = 1;
        } else if (cp < 0x800) {
            bytes = (0xC0 | (cp >> 6)) | ((0x80 | (cp & 0x3F)) << 8);
            n = 2;
        } else if (cp < 0x10000) {
            bytes = (0xE0 | (cp >> 12)) | ((0x80 | ((cp >> 6) & 0x3F)) << 8) | ((long) (0x80 | (cp & 0x3F)) << 16);
            n = 3;
        } else {
            bytes = (0xF0 | (cp >> 18)) | ((0x80 | ((cp >> 12) & 0x3F)) << 8) | ((long) (0x80 | ((cp >> 6) & 0x3F)) << 16)
                    | ((long) (0x80 | (cp & 0x3F)) << 24);
            n = 4;
        }
        return bytes | ((long) n << 32) | ((long) raw << 40);
    }

    public static int count(long packed) {
        return (int) (packed >>> 32) & 0xF;
    }

    public static int rawLength(long packed) {
        return (int) (packed >>> 40) & 0xFF;
    }

    public static int byteAt(long packed, int i) {
        return (int) (packed >>> (i * 8)) & 0xFF;
    }
}
