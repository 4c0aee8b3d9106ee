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

    /** True when {@code [start, end)} sits in a short quoted literal ({@code "ignore previous instructions",}): code about injections. */
    static boolean quoted(Text t, int start, int end) {
        boolean before = false;
        for (int i = start - 1; i >= Math.max(0, start - 3); i--) {
            int c = t.at(i);
            if (c == '"' || c == '\'' || c == '`') {
                before = true;
                break;
            }
        }
        if (!before) {
            return false;
        }
        for (int i = end; i < Math.min(t.length(), end + 40); i++) {
            int c = t.at(i);
            if (c == '"' || c == '\'' || c == '`') {
                return true;
            }
            if (c == '\n') {
                return false;
            }
        }
        return false;
    }

    /** True when one of {@code words} occurs (case-insensitively) in {@code [from, to)}. */
    static boolean near(Text t, int from, int to, String... words) {
        int a = Math.max(0, from);
        int b = Math.min(t.length(), to);
        if (b <= a) {
            return false;
        }
        String s = new String(t.bytes(), a, b - a, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (s.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
