package dev.sluice.guard.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A fixed set of short ASCII words and one question: does any of them occur in a byte range? {@link SecretNames} asks it
 * of every name that ends like a secret's, against some fifty words ({@code hash}, {@code path}, {@code length}, ...).
 *
 * <p>Why not {@code String.contains} per word: that was a string built per name and fifty-odd searches of it, each a
 * call with its own setup; on the 700 KB benchmark body, about 5% of a whole all-scanner scan (async-profiler,
 * 2026-11-30). Here the words are grouped by their first byte, and the range is read once: at each offset only the words
 * starting with that byte are compared, usually none or one or two. Same answers: a word occurs in the range exactly
 * when it starts at one of its offsets.
 */
final class WordSet {
    private static final byte[][] NONE = new byte[0][];

    /** By first byte: the words starting with it. */
    private final byte[][][] byFirst = new byte[256][][];

    WordSet(List<String> words) {
        Arrays.fill(byFirst, NONE);
        for (String w : words) {
            byte[] bytes = w.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0) {
                throw new IllegalArgumentException("empty word");
            }
            byte[][] list = byFirst[bytes[0] & 0xff];
            list = Arrays.copyOf(list, list.length + 1);
            list[list.length - 1] = bytes;
            byFirst[bytes[0] & 0xff] = list;
        }
    }

    /** True when one of the words occurs in {@code b[from, to)}. */
    boolean in(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            for (byte[] w : byFirst[b[i] & 0xff]) {
                if (i + w.length <= to && rest(b, i, w)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when {@code w} is at {@code b[i]}, whose first byte is known to match (a loop: the words are a few bytes). */
    private static boolean rest(byte[] b, int i, byte[] w) {
        for (int k = 1; k < w.length; k++) {
            if (b[i + k] != w[k]) {
                return false;
            }
        }
        return true;
    }
}
