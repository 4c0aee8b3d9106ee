package dev.sluice.guard.detect;

import java.nio.charset.StandardCharsets;
import java.util.List;
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
    private static final List<byte[]> MARKERS = bytes("example", "xxxxxx", "******", "......", "placeholder", "your_", "your-",
            "<your", "not-a-real", "notareal", "not_a_real", "redacted", "dummy", "changeme", "change_me", "change-me",
            "insert_", "insert-", "replace_me", "replace-me", "0000000000", "1234567890", "abcdefghij");

    /** Extra markers for the generic assignment rules, where values are short and free-form. */
    private static final List<byte[]> WEAK_MARKERS = bytes("test", "fake", "sample", "secret", "password", "passwd", "mock",
            "foo", "bar", "baz", "lorem", "todo", "fixme", "hunter2", "letmein", "qwerty", "admin", "default", "token", "demo",
            "local", "dev", "value", "string", "none", "null", "undefined", "empty", "required", "optional", "enter");

    private Examples() {
    }

    private static List<byte[]> bytes(String... words) {
        return java.util.Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.US_ASCII)).toList();
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

    private static boolean contains(Text t, int from, int to, List<byte[]> words) {
        byte[] b = t.bytes();
        for (byte[] w : words) {
            outer:
            for (int i = from; i + w.length <= to; i++) {
                for (int j = 0; j < w.length; j++) {
                    int c = b[i + j];
                    if (c >= 'A' && c <= 'Z') {
                        c += 32;
                    }
                    if (c != w[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
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
