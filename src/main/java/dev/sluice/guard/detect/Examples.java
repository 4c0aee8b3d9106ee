package dev.sluice.guard.detect;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Values that look like credentials but are not: the example keys vendors print in their documentation
 * (and every test suite copies), and the placeholder words people put where a secret will go. A coding
 * agent reads these all day, so every rule consults this before it reports.
 */
public final class Examples {
    /** Documented example values, exactly as the vendors publish them. */
    private static final Set<String> KNOWN = Set.of(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AKIAI44QH8DHBEXAMPLE",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
            "pk_test_TYooMQauvdEDq54NiTphI7jx",
            "rk_test_4eC39HqLyjWDarjtT1zdp7dc",
            // Azurite / Azure Storage Emulator's published account key for devstoreaccount1.
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            // The token on jwt.io's front page.
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                    + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            // GitHub's documentation example of an OAuth token.
            "gho_16C7e42F292c6912E7710c838347Ae178B4a");

    /** Case-insensitive substrings that mark a value as an example or a placeholder in any rule. */
    private static final Words MARKERS = new Words("example", "xxxxxx", "******", "......", "placeholder", "your_", "your-",
            "<your", "not-a-real", "notareal", "not_a_real", "redacted", "dummy", "changeme", "change_me", "change-me",
            "insert_", "insert-", "replace_me", "replace-me", "0000000000", "1234567890", "abcdefghij");

    /** Extra markers for the generic assignment rules, where values are short and free-form. */
    private static final Words WEAK_MARKERS = new Words("test", "fake", "sample", "secret", "password", "passwd", "mock",
            "foo", "bar", "baz", "lorem", "todo", "fixme", "hunter2", "letmein", "qwerty", "admin", "default", "token", "demo",
            "local", "dev", "value", "string", "none", "null", "undefined", "empty", "required", "optional", "enter");

    private Examples() {
    }

    /**
     * Lower-case ASCII words, indexed by their first byte: a value is read once, and only the words that begin with
     * a byte are compared there (the markers were compared one after the other at every offset).
     */
    private static final class Words {
        private final byte[][][] byFirst = new byte[128][][];

        Words(String... words) {
            for (String w : words) {
                byte[] b = w.getBytes(StandardCharsets.US_ASCII);
                byte[][] list = byFirst[b[0]];
                list = list == null ? new byte[1][] : java.util.Arrays.copyOf(list, list.length + 1);
                list[list.length - 1] = b;
                byFirst[b[0]] = list;
            }
        }

        /** True when one of the words is in {@code b[from, to)}, ASCII letters of the value compared in lower case. */
        boolean in(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                int c = b[i];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                byte[][] candidates = c >= 0 ? byFirst[c] : null;
                if (candidates == null) {
                    continue;
                }
                for (byte[] w : candidates) {
                    if (startsWith(b, i, to, w)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static boolean startsWith(byte[] b, int at, int to, byte[] w) {
            if (at + w.length > to) {
                return false;
            }
            for (int j = 1; j < w.length; j++) {
                int c = b[at + j];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != w[j]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** True when {@code [from, to)} is one of the documented example values. */
    public static boolean known(Text t, int from, int to) {
        return to - from <= 200 && KNOWN.contains(new String(t.bytes(), from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** True when the value is a documented example or carries a placeholder marker. */
    public static boolean example(Text t, int from, int to) {
        return known(t, from, to) || contains(t, from, to, MARKERS) || repetitive(t, from, to);
    }

    /** The looser test of the generic rules: also words like "test", "fake" and "secret" inside the value. */
    public static boolean placeholder(Text t, int from, int to) {
        return example(t, from, to) || contains(t, from, to, WEAK_MARKERS);
    }

    private static boolean contains(Text t, int from, int to, Words words) {
        return words.in(t.bytes(), from, to);
    }

    /** A value made of one repeated byte or one short repeated pattern ({@code aaaa}, {@code abab}, {@code 1212}). */
    public static boolean repetitive(Text t, int from, int to) {
        int n = to - from;
        if (n < 4) {
            return false;
        }
        byte[] b = t.bytes();
        for (int period = 1; period <= 4 && period < n; period++) {
            boolean same = true;
            for (int i = from + period; i < to && same; i++) {
                same = b[i] == b[i - period];
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    /** For messages and tests: the lower-case ASCII of a span. */
    static String lower(Text t, int from, int to) {
        return new String(t.bytes(), from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
