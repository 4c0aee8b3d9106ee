package dev.sluice.guard.detect;

/** Byte classes and small scans over decoded text that many detectors share. */
public final class Chars {
    private static final int ALNUM = 1;
    private static final int BASE64 = 2;
    private static final int BASE64URL = 4;
    private static final int HEX = 8;
    private static final int WORD = 16;
    private static final int UPPER = 32;
    private static final int LOWER = 64;
    private static final int DIGIT = 128;
    private static final int[] CLASS = new int[256];

    static {
        for (int c = 0; c < 256; c++) {
            int f = 0;
            boolean upper = c >= 'A' && c <= 'Z';
            boolean lower = c >= 'a' && c <= 'z';
            boolean digit = c >= '0' && c <= '9';
            if (upper || lower || digit) {
                f |= ALNUM | BASE64 | BASE64URL | WORD;
            }
            if (upper) {
                f |= UPPER;
            }
            if (lower) {
                f |= LOWER;
            }
            if (digit) {
                f |= DIGIT | HEX;
            }
            if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                f |= HEX;
            }
            if (c == '+' || c == '/') {
                f |= BASE64;
            }
            if (c == '-' || c == '_') {
                f |= BASE64URL;
            }
            if (c == '_') {
                f |= WORD;
            }
            CLASS[c] = f;
        }
    }

    private Chars() {
    }

    public static boolean alnum(int c) {
        return (CLASS[c & 0xff] & ALNUM) != 0;
    }

    public static boolean base64(int c) {
        return (CLASS[c & 0xff] & BASE64) != 0;
    }

    public static boolean base64url(int c) {
        return (CLASS[c & 0xff] & BASE64URL) != 0;
    }

    public static boolean hex(int c) {
        return (CLASS[c & 0xff] & HEX) != 0;
    }

    /** Letters, digits and underscore: what identifiers are made of. */
    public static boolean word(int c) {
        return (CLASS[c & 0xff] & WORD) != 0;
    }

    public static boolean upper(int c) {
        return (CLASS[c & 0xff] & UPPER) != 0;
    }

    public static boolean lower(int c) {
        return (CLASS[c & 0xff] & LOWER) != 0;
    }

    public static boolean digit(int c) {
        return (CLASS[c & 0xff] & DIGIT) != 0;
    }

    public static boolean space(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** End of the run of bytes from {@code from} that satisfy {@code kind}, at most {@code max} long. */
    public static int run(Text t, int from, int max, Kind kind) {
        int limit = Math.min(t.length(), from + max);
        byte[] b = t.bytes();
        int i = from;
        while (i < limit && kind.test(b[i] & 0xff)) {
            i++;
        }
        return i;
    }

    /** Start of the run of bytes ending at {@code to} that satisfy {@code kind}, at most {@code max} long. */
    public static int runBack(Text t, int to, int max, Kind kind) {
        int limit = Math.max(0, to - max);
        byte[] b = t.bytes();
        int i = to;
        while (i > limit && kind.test(b[i - 1] & 0xff)) {
            i--;
        }
        return i;
    }

    /** True when the byte before {@code at} is not of {@code kind} (or there is none). */
    public static boolean boundaryBefore(Text t, int at, Kind kind) {
        return at == 0 || !kind.test(t.at(at - 1));
    }

    /** True when the byte at {@code at} is not of {@code kind} (or the text ends). */
    public static boolean boundaryAt(Text t, int at, Kind kind) {
        return at >= t.length() || !kind.test(t.at(at));
    }

    /** Counts the classes present in {@code [from, to)}: upper, lower, digit, other. */
    public static int classes(Text t, int from, int to) {
        int seen = 0;
        for (int i = from; i < to; i++) {
            int c = t.at(i);
            seen |= upper(c) ? 1 : lower(c) ? 2 : digit(c) ? 4 : 8;
        }
        return Integer.bitCount(seen);
    }

    /** A byte predicate, named so call sites read well. */
    @FunctionalInterface
    public interface Kind {
        Kind ALNUM = Chars::alnum;
        Kind BASE64 = Chars::base64;
        Kind BASE64URL = Chars::base64url;
        Kind WORD = Chars::word;
        Kind HEX = Chars::hex;

        boolean test(int c);
    }
}
