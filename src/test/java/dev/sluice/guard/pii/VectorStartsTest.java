package dev.sluice.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.Source;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SIMD candidate search of {@link PersonalData} may only pass over offsets where the scalar loop would
 * have stepped on: on random text made of the bytes that matter (digits, capitals, separators, '@', '+', '(',
 * multi-byte UTF-8), every offset it skips is one where {@link PersonalData#starts} is false, and it stops
 * exactly on the first one where it is true (or where the scalar tail takes over). The build runs the tests
 * with {@code jdk.incubator.vector}, so this exercises the SIMD path.
 */
class VectorStartsTest {
    private static final byte[] ALPHABET = "0123456789ABDEGZaz @+(-./:_#$\\=)\n\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARROW = "\u2192".getBytes(StandardCharsets.UTF_8);

    @Test
    void skipsOnlyWhatTheScalarLoopWouldSkip() {
        Random random = new Random(12);
        Text t = new Text();
        boolean[][] flags = {{true, true, true}, {true, false, false}, {false, true, false}, {false, false, true}, {false, true, true}};
        int checked = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] b = randomText(random, 1 + random.nextInt(300), round % 3 == 0 ? 0.9 : 0.3);
            t.loadPlain(b, 0, b.length, 0, Source.USER);
            boolean[] f = flags[round % flags.length];
            int from = 0;
            while (from < b.length) {
                int stop = VectorStarts.skip(t.bytes(), from, t.length(), f[0], f[1], f[2]);
                for (int i = from; i < Math.min(stop, b.length); i++) {
                    if (i > 0 || from > 0) {
                        assertThat(PersonalData.starts(t, i, f[0], f[1], f[2]))
                                .as("offset %d of \"%s\" skipped (flags %s %s %s)", i, new String(b, StandardCharsets.UTF_8), f[0], f[1], f[2])
                                .isFalse();
                        checked++;
                    }
                }
                from = Math.max(stop, from) + 1;
            }
        }
        assertThat(checked).isGreaterThan(100_000);
    }

    @Test
    void stopsOnACandidateAtEveryOffset() {
        // Each candidate with the byte before it: an address's local part before '@', a number long enough to be one.
        for (String candidate : new String[] {"j@", " 7777", " 7 77", " 2ab3", " +4", " (4", " DE44"}) {
            for (int at = 1; at < 100; at++) {
                byte[] b = ("x".repeat(at - 1) + candidate + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII);
                Text t = new Text();
                t.loadPlain(b, 0, b.length, 0, Source.USER);
                int stop = VectorStarts.skip(t.bytes(), 1, t.length(), true, true, true);
                assertThat(stop).as("%s at %d", candidate, at).isLessThanOrEqualTo(at);
            }
        }
    }

    private static byte[] randomText(Random random, int length, double interesting) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            if (random.nextDouble() < interesting) {
                b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            } else if (random.nextInt(20) == 0 && i + ARROW.length <= length) {
                System.arraycopy(ARROW, 0, b, i, ARROW.length);
                i += ARROW.length - 1;
            } else {
                b[i] = (byte) ('a' + random.nextInt(26));
            }
        }
        return b;
    }
}
