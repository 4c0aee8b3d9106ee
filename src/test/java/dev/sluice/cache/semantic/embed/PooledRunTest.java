package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MiniLmModel#pooledSums} (kept native buffers, pinned output) gives the same numbers as summing
 * {@link MiniLmModel#hiddenStates} over each row's real positions: one row, padded rows of uneven length,
 * after its buffers grew, and past their bound (where it takes the plain path).
 */
class PooledRunTest {
    private static MiniLmModel model;

    @BeforeAll
    static void load() {
        model = MiniLmModel.load(1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] row(Random r, int length) {
        int[] row = new int[length];
        row[0] = WordPiece.CLS;
        row[length - 1] = WordPiece.SEP;
        for (int i = 1; i < length - 1; i++) {
            row[i] = 2000 + r.nextInt(20_000);
        }
        return row;
    }

    private static void assertSame(int[][] rows) {
        float[][][] hidden = model.hiddenStates(rows);
        float[][] pooled = model.pooledSums(rows);
        assertThat(pooled.length).isEqualTo(rows.length);
        for (int r = 0; r < rows.length; r++) {
            // Same run, same padding, same order of additions: the floats are equal, not merely close.
            assertThat(pooled[r]).as("row %d of %d tokens", r, rows[r].length)
                    .containsExactly(TransformerEmbedder.sum(hidden[r], rows[r].length));
        }
    }

    @Test
    void oneRow_unevenPaddedRows_andAfterTheBuffersGrew() {
        Random r = new Random(7);
        assertSame(new int[][] {row(r, 18)});
        assertSame(new int[][] {row(r, 12), row(r, 40), row(r, 3)});
        assertSame(new int[][] {row(r, 200), row(r, 150), row(r, 199), row(r, 60)});
        assertSame(new int[][] {row(r, 5)}); // smaller again: stale positions of the bigger run must not leak in
    }

    @Test
    void aRunPastTheKeptBuffersBoundTakesThePlainPath_withTheSameResult() {
        Random r = new Random(8);
        int[][] rows = new int[6][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(r, 400);
        }
        assertThat(PooledRun.fits(rows.length, 400)).isFalse();
        assertSame(rows);
    }
}
