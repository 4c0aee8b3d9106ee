package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The string scan finds exactly the first byte a plain byte-by-byte search finds, wherever it starts and ends. */
class StringScanTest {
    @Test
    void findsWhatAPlainSearchFinds() {
        byte[] alphabet = {'a', ' ', 'z', '"', '\\', '\n', 0x1f, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff};
        Random random = new Random(6);
        for (int round = 0; round < 3_000; round++) {
            byte[] b = new byte[random.nextInt(300)];
            // Mostly plain text, so the scan crosses whole vectors before it finds something.
            int rare = 1 + random.nextInt(200);
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(rare) == 0 ? alphabet[3 + random.nextInt(alphabet.length - 3)] : alphabet[random.nextInt(3)];
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            assertThat(StringScan.next(b, from, to)).as("round %d, from %d to %d", round, from, to).isEqualTo(plain(b, from, to));
        }
    }

    @Test
    void usesTheVectorScanWhereTheBuildProvidesTheModule() {
        // The build runs the tests with jdk.incubator.vector, as the launcher runs the gateway: the test above covers
        // the SIMD path, and this says so if the setup ever changes.
        assertThat(StringScan.vectorized()).isTrue();
    }

    private static int plain(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7f) {
                return i;
            }
        }
        return to;
    }
}
