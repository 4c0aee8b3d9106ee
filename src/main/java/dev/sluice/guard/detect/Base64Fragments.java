package dev.sluice.guard.detect;

import java.util.Arrays;
import java.util.Base64;

/**
 * The part of a word's base64 encoding that does not depend on the bytes around the word: what an exact keyword can
 * look for in base64 text ({@code inject.EncodedPayload}'s phrases, {@code secrets.EncodedSecrets}'s credential words).
 * A word placed {@code align} bytes into a three-byte group is encoded twice, once between zero bytes and once between
 * 0xFF bytes; the longest run of characters the two encodings share is the fragment.
 */
public final class Base64Fragments {
    private Base64Fragments() {
    }

    /**
     * The fragment of {@code word} placed {@code align} (0-2) bytes into a group, and its offset in the encoding of the
     * group-aligned text that holds it (so {@code start % 4} says where in a four-character group it begins).
     */
    public record Fragment(String text, int start) {
    }

    public static Fragment of(byte[] word, int align) {
        String low = encode(word, align, (byte) 0x00);
        String high = encode(word, align, (byte) 0xFF);
        int best = 0;
        int start = 0;
        int run = 0;
        for (int i = 0; i < low.length(); i++) {
            run = low.charAt(i) == high.charAt(i) ? run + 1 : 0;
            if (run > best) {
                best = run;
                start = i - run + 1;
            }
        }
        return new Fragment(low.substring(start, start + best), start);
    }

    private static String encode(byte[] word, int align, byte fill) {
        byte[] b = new byte[align + word.length + 3];
        Arrays.fill(b, fill);
        System.arraycopy(word, 0, b, align, word.length);
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }
}
