package dev.sluice.guard.inject;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads the words around a phrase keyword, lower-cased, for the small grammars of the injection rules. */
final class Words {
    private Words() {
    }

    /** The next word at or after {@code from} (skipping spaces and simple punctuation), or null past {@code limit}. */
    static String next(Text t, int[] cursor, int limit) {
        int i = cursor[0];
        while (i < limit && !Chars.alnum(t.at(i))) {
            int c = t.at(i);
            if (c == '.' || c == '\n' || c == ';' || c == '!' || c == '?') {
                return null;
            }
            i++;
        }
        int e = i;
        while (e < limit && (Chars.alnum(t.at(e)) || t.at(e) == '\'' || t.at(e) == '-')) {
            e++;
        }
        if (e == i) {
            return null;
        }
        cursor[0] = e;
        return new String(t.bytes(), i, e - i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /** Longest quoted literal that still counts as a mention rather than an instruction. */
    private static final int MAX_LITERAL = 48;

    /**
     * True when {@code [start, end)} sits in a short quoted literal ({@code "ignore previous instructions",} in a
     * list of phrases, or a phrase quoted in a sentence about injections): a mention, not an injection. The literal
     * must be short and one clause (no full stop or line break), so an injected paragraph in quotes is not excused.
     */
    static boolean quoted(Text t, int start, int end) {
        int open = -1;
        for (int i = start - 1; i >= Math.max(0, end - MAX_LITERAL); i--) {
            int c = t.at(i);
            if (quote(c)) {
                open = i;
                break;
            }
            if (c == '\n' || c == '.' || c == '!') {
                return false;
            }
        }
        if (open < 0) {
            return false;
        }
        for (int i = end; i < Math.min(t.length(), open + MAX_LITERAL); i++) {
            int c = t.at(i);
            if (c == t.at(open)) {
                return true;
            }
            if (c == '\n' || c == '.' || c == '!') {
                return false;
            }
        }
        return false;
    }

    private static boolean quote(int c) {
        return c == '"' || c == '\'' || c == '`';
    }

    /** True when one of {@code words} occurs (case-insensitively, as whole words) in {@code [from, to)}. */
    static boolean near(Text t, int from, int to, String... words) {
        int a = Math.max(0, from);
        int b = Math.min(t.length(), to);
        if (b <= a) {
            return false;
        }
        String s = new String(t.bytes(), a, b - a, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (String w : words) {
            int i = s.indexOf(w);
            while (i >= 0) {
                boolean left = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) || !Character.isLetterOrDigit(w.charAt(0));
                int e = i + w.length();
                boolean right = e >= s.length() || !Character.isLetterOrDigit(s.charAt(e)) || !Character.isLetterOrDigit(w.charAt(w.length() - 1));
                if (left && right) {
                    return true;
                }
                i = s.indexOf(w, i + 1);
            }
        }
        return false;
    }
}
