package dev.sluice.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The candidate bits by byte-kind lookup ({@link VectorKinds#mark}) are exactly those of the compares
 * ({@link VectorStarts#mark}), which {@code DataStartsTest} checks against the scalar test: on random strings of the
 * bytes that matter, separated as the engine separates them, in buffers of every length from 0 to a few registers (so
 * the look-ahead load stops at every offset of a register), and on long ones. Runs on any CPU: without AVX-512 VBMI the
 * lookup is slow, not wrong.
 */
class VectorKindsTest {
    private static final byte[] ALPHABET = "0123456789ABDEGQZaefz @+(-./:_%#$\\=),\n\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte SEPARATOR = (byte) 0xFF;

    @Test
    void theLookupSetsTheSameBitsAsTheCompares() {
        Random random = new Random(2026_11_30);
        long bitsSet = 0;
        for (int round = 0; round < 6000; round++) {
            int n = round < 400 ? round : random.nextInt(round % 10 == 0 ? 20_000 : 700);
            byte[] b = randomStrings(random, n, round % 3 == 0 ? 0.9 : 0.4);
            long[] compares = new long[(n >>> 6) + 2];
            long[] lookup = new long[(n >>> 6) + 2];
            Arrays.fill(lookup, -1L); // whatever was there before must be overwritten, as the engine reuses the array
            VectorStarts.mark(b, n, compares);
            VectorKinds.mark(b, n, lookup);
            assertThat(lookup).as("round %d, %d bytes: %s", round, n, new String(b, 0, n, StandardCharsets.ISO_8859_1))
                    .isEqualTo(compares);
            for (long word : compares) {
                bitsSet += Long.bitCount(word);
            }
        }
        assertThat(bitsSet).isGreaterThan(100_000);
    }

    @Test
    void everyByteValueHasTheKindsTheComparesGiveIt() {
        // Each byte value alone and between digits, capitals and '@', at every offset of a register.
        for (int value = 0; value < 256; value++) {
            for (int at = 0; at < 140; at++) {
                for (String around : new String[] {"7", "Q", "@", "a", " ", "."}) {
                    byte[] b = (around.repeat(at) + "x" + around.repeat(70)).getBytes(StandardCharsets.ISO_8859_1);
                    b[at] = (byte) value;
                    long[] compares = new long[(b.length >>> 6) + 2];
                    long[] lookup = new long[(b.length >>> 6) + 2];
                    VectorStarts.mark(b, b.length, compares);
                    VectorKinds.mark(b, b.length, lookup);
                    assertThat(lookup).as("byte %d at %d among '%s'", value, at, around).isEqualTo(compares);
                }
            }
        }
    }

    /** Strings of up to 40 bytes, a separator after each, as in the engine's buffer; a non-ASCII byte now and then. */
    private static byte[] randomStrings(Random random, int n, double interesting) {
        byte[] b = new byte[n + 3];
        int left = 0;
        for (int i = 0; i < n; i++) {
            if (left == 0) {
                b[i] = SEPARATOR;
                left = 1 + random.nextInt(40);
                continue;
            }
            left--;
            double r = random.nextDouble();
            b[i] = r < interesting ? ALPHABET[random.nextInt(ALPHABET.length)]
                    : r < interesting + 0.05 ? (byte) (0x80 + random.nextInt(0x7F)) : (byte) ('a' + random.nextInt(26));
        }
        return b;
    }
}
