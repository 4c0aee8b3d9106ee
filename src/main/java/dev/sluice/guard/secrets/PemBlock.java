package dev.sluice.guard.secrets;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Text;

/**
 * Reads the body of a PEM block after its BEGIN line, the way it shows up in an agent's context: real
 * line breaks, or {@code \n} written out (a key inside a JSON file, a service-account file), optionally
 * with the line numbers a file reader puts in front of each line ({@code "    12→"} or {@code "12\t"}), and
 * the header lines of encrypted keys ({@code Proc-Type:}, {@code DEK-Info:}). Packs the result in a long:
 * the offset where the body stopped (the END line or the first byte that cannot be in a key) and the
 * number of base64 characters seen.
 */
final class PemBlock {
    /** A PEM key body is never longer than this (an 8192-bit RSA key is about 6.5 KB with line numbers). */
    static final int MAX_BODY = 16 * 1024;

    private PemBlock() {
    }

    /** Scans from {@code from}; returns {@code stop | (long) base64Count << 32}. */
    static long body(Text t, int from) {
        int limit = Math.min(t.length(), from + MAX_BODY);
        int count = 0;
        int i = from;
        boolean lineStart = true;
        while (i < limit) {
            int c = t.at(i);
            if (c == '\n' || c == '\r') {
                lineStart = true;
                i++;
            } else if (c == '\\' && i + 1 < limit && (t.at(i + 1) == 'n' || t.at(i + 1) == 'r')) {
                lineStart = true;
                i += 2;
            } else if (c == ' ' || c == '\t') {
                i++;
            } else if (lineStart && Chars.digit(c) && arrowAt(t, Chars.run(t, i, 8, Chars::digit)) > 0) {
                int j = Chars.run(t, i, 8, Chars::digit);
                i = j + arrowAt(t, j);
                lineStart = false;
            } else if (lineStart && Chars.upper(c) && header(t, i)) {
                i = lineEnd(t, i, limit);
            } else if (Chars.base64(c) || c == '=') {
                count++;
                lineStart = false;
                i++;
            } else {
                break;
            }
        }
        return i | ((long) count << 32);
    }

    /** Length of a line-number separator at {@code i}: a tab, or the arrow U+2192 (three UTF-8 bytes); else 0. */
    private static int arrowAt(Text t, int i) {
        if (i < t.length() && t.at(i) == '\t') {
            return 1;
        }
        if (i + 2 < t.length() && t.at(i) == 0xE2 && t.at(i + 1) == 0x86 && t.at(i + 2) == 0x92) {
            return 3;
        }
        return 0;
    }

    /** An RFC 1421 or OpenPGP armour header line: {@code Name: value}. */
    private static boolean header(Text t, int i) {
        int j = Chars.run(t, i, 24, c -> Chars.alnum(c) || c == '-');
        return j < t.length() && j > i + 2 && t.at(j) == ':' && j + 1 < t.length() && t.at(j + 1) == ' ';
    }

    private static int lineEnd(Text t, int i, int limit) {
        while (i < limit && t.at(i) != '\n' && !(t.at(i) == '\\' && i + 1 < limit && t.at(i + 1) == 'n')) {
            i++;
        }
        return i;
    }
}
