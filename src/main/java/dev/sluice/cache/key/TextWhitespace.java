package dev.sluice.cache.key;

/**
 * The {@link KeyRule#TEXT_WHITESPACE} rule on raw JSON string bytes: CRLF becomes LF ({@code \r\n}
 * escapes) and spaces and tabs before a line end (or the end of the string) go.
 */
final class TextWhitespace {
    private TextWhitespace() {
    }

    /** Normalizes {@code src[from, to)} into {@code out}; {@code atEnd} when this segment ends the string. Returns the length written. */
    static int normalize(byte[] src, int from, int to, boolean atEnd, byte[] out) {
        int n = 0;
        int pendingStart = -1; // start in out of a run of trailing-whitespace candidates
        int p = from;
        while (p < to) {
            byte c = src[p];
            int width = 1;
            boolean blank = c == ' ';
            boolean newline = false;
            boolean carriage = false;
            if (c == '\\' && p + 1 < to) {
                byte e = src[p + 1];
                width = e == 'u' && p + 6 <= to ? 6 : 2;
                blank = e == 't';
                newline = e == 'n';
                carriage = e == 'r';
            }
            if (carriage && p + 3 < to && src[p + 2] == '\\' && src[p + 3] == 'n') {
                p += 2; // drop the CR of a CRLF
                continue;
            }
            if (newline && pendingStart >= 0) {
                n = pendingStart; // trailing blanks before the line end go
            }
            if (blank) {
                if (pendingStart < 0) {
                    pendingStart = n;
                }
            } else {
                pendingStart = -1;
            }
            System.arraycopy(src, p, out, n, width);
            n += width;
            p += width;
        }
        if (atEnd && pendingStart >= 0) {
            n = pendingStart;
        }
        return n;
    }
}
