package dev.sluice.guard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.detect.Disguises;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SIMD search for disguising characters (and look-alike letters next to a token's) finds exactly what a byte-by-byte
 * search finds, at every offset.
 */
class DisguiseSearchTest {
    private static final String[] PIECES = {"a", "Z", "7", " ", "\n", "→", "—", "’", "é", "©", "\u00A0", "\u00AD", "\u034F",
        "\u180E", "\u200B", "\u200D", "\u200F", "\u202E", "\u2060", "\u2064", "\u2069", "\uFE0F", "\uFEFF", "ｇ", "９", "，",
        "（", "\uFF5E", "中", "😀", "\u2019", "\u2014", "\u00C2", "\u0100",
        // Look-alikes of letters (a trigger only next to a token's letters) and letters of their scripts that are none.
        "\u0440", "\u0455", "\u0410", "\u03B1", "\u03C1", "\u0261", "\u0416", "\u03C9", "\u0501", "_", "-"};

    @Test
    void theSearchMatchesAScalarOneOnRandomText() {
        Random r = new Random(24);
        for (int round = 0; round < 300; round++) {
            StringBuilder s = new StringBuilder();
            int n = r.nextInt(400);
            for (int i = 0; i < n; i++) {
                // Mostly ordinary bytes, so the registers without a candidate are passed over too.
                s.append(r.nextInt(10) < 8 ? PIECES[r.nextInt(10)] : PIECES[r.nextInt(PIECES.length)]);
            }
            byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
            for (int from = 0; from < b.length; from += 1 + r.nextInt(37)) {
                assertThat(DisguiseSearch.next(b, from, b.length)).as("from " + from + " in " + s).isEqualTo(scalar(b, from, b.length));
            }
        }
    }

    @Test
    void withoutTheVectorApiAsciiWordsArePassedOverAndNothingElse() {
        byte[] b = ("abcdefgh12345678" + "x\u200By" + "abcdefgh").getBytes(StandardCharsets.UTF_8);
        assertThat(DisguiseSearch.skipAscii(b, 0, b.length)).isEqualTo(16);
        assertThat(DisguiseSearch.skipAscii(b, 16, b.length)).isEqualTo(16);
        assertThat(DisguiseSearch.skipAscii(b, 21, b.length)).isEqualTo(b.length);
        assertThat(DisguiseSearch.skipAscii(b, 22, b.length)).isEqualTo(22);
        assertThat(scalar(b, 0, b.length)).isEqualTo(17);
    }

    @Test
    void fullwidthPunctuationAloneIsNoTriggerButIsReadAsAscii() {
        byte[] comma = "，".getBytes(StandardCharsets.UTF_8);
        assertThat(Disguises.trigger(comma, 0, comma.length)).isFalse();
        assertThat(Disguises.length(comma, 0, comma.length)).isEqualTo(3);
        assertThat(Disguises.ascii(comma, 0)).isEqualTo(',');
        byte[] tilde = "\uFF5E".getBytes(StandardCharsets.UTF_8);
        assertThat(Disguises.ascii(tilde, 0)).isEqualTo('~');
        byte[] g = "ｇ".getBytes(StandardCharsets.UTF_8);
        assertThat(Disguises.trigger(g, 0, g.length)).isTrue();
        assertThat(Disguises.ascii(g, 0)).isEqualTo('g');
    }

    private static int scalar(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Disguises.trigger(b, i, to)) {
                return i;
            }
        }
        return -1;
    }
}
