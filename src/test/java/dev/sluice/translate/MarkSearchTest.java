package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The vector search finds what a plain scan finds, wherever the pattern stands against the register width; so does the
 * byte loop a JVM without the Vector API module gets (a child gateway started without it answered every request bound
 * for Claude with a 500 when there was no such loop).
 */
class MarkSearchTest {
    private static final byte[] MARK = "\"sluice:reasoning:".getBytes(StandardCharsets.US_ASCII);

    private static int plain(byte[] src, byte[] p) {
        outer:
        for (int i = 0; i + p.length <= src.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (src[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void everyPositionAndEveryLengthAgreesWithAPlainScan() {
        for (int length = 0; length < 200; length++) {
            byte[] src = new byte[length];
            Arrays.fill(src, (byte) 'x');
            for (int i = 0; i < length; i += 3) {
                src[i] = ':'; // anchor halves everywhere
                if (i + 1 < length) {
                    src[i + 1] = i % 2 == 0 ? (byte) 'r' : (byte) 's';
                }
            }
            assertThat(MarkSearch.indexOf(src, length, MARK, 7)).as("length " + length).isEqualTo(plain(src, MARK));
            for (int at = 0; at + MARK.length <= length; at += 5) {
                byte[] with = src.clone();
                System.arraycopy(MARK, 0, with, at, MARK.length);
                assertThat(MarkSearch.indexOf(with, length, MARK, 7)).as(length + " at " + at).isEqualTo(plain(with, MARK));
                assertThat(MarkSearch.from(with, length, MARK, 7, 7)).as("byte loop " + length + " at " + at).isEqualTo(plain(with, MARK));
                byte[] cut = Arrays.copyOf(with, at + MARK.length - 1); // the pattern cut by the end of the body
                assertThat(MarkSearch.indexOf(cut, cut.length, MARK, 7)).isEqualTo(plain(cut, MARK));
            }
        }
    }
}
