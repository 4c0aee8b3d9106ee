package dev.sluice.cache.semantic.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.embed.Vectors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The HNSW walk runs on int8 copies of the rows (h-sem13); what it returns is still decided by the floats. */
class Int8SearchTest {
    private static final int DIM = 384;

    private static float[] random(Random r) {
        return ScopeIndexTest.random(r, DIM);
    }

    @Test
    void int8DotProductsOfUnitVectorsAreWithinAHundredth() {
        Random r = new Random(3);
        VectorStore store = new VectorStore(DIM, 4);
        float[][] rows = new float[500][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random(r);
            store.add(rows[i]);
        }
        for (int q = 0; q < 200; q++) {
            float[] query = q % 2 == 0 ? random(r) : rows[r.nextInt(rows.length)];
            Int8Rows.Code code = Int8Rows.quantize(query);
            for (int ord = 0; ord < rows.length; ord++) {
                assertThat(store.approxDot(code, ord)).isCloseTo(Vectors.dot(query, rows[ord]), org.assertj.core.data.Offset.offset(0.01f));
            }
        }
        assertThat(Int8Rows.quantize(new float[DIM]).step()).as("a zero vector stays zero").isZero();
    }

    @Test
    void hnswReturnsTheFloatScoresBestFirst_andFindsNearDuplicatesAsBruteForceDoes() {
        Random r = new Random(7);
        ScopeIndex brute = new ScopeIndex(DIM, 100_000, 100_000);
        ScopeIndex hnsw = new ScopeIndex(DIM, 16, 100_000);
        float[][] vs = ScopeIndexTest.fill(r, 3000, DIM, brute, hnsw);
        assertThat(hnsw.usesHnsw()).isTrue();
        int agree = 0;
        for (int q = 0; q < 200; q++) {
            float[] query = vs[r.nextInt(vs.length)].clone();
            for (int i = 0; i < 8; i++) {
                query[r.nextInt(DIM)] += 0.02f;
            }
            Vectors.normalize(query);
            List<Candidate> a = brute.search(query, 4, -1);
            List<Candidate> b = hnsw.search(query, 4, -1);
            assertThat(b).hasSize(4);
            for (int i = 0; i < b.size(); i++) {
                float exact = Vectors.dot(query, vs[Integer.parseInt(b.get(i).entry().entryId().substring(1))]);
                assertThat(b.get(i).score()).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-5f));
                if (i > 0) {
                    assertThat(b.get(i).score()).isLessThanOrEqualTo(b.get(i - 1).score());
                }
            }
            agree += a.getFirst().entry().entryId().equals(b.getFirst().entry().entryId()) ? 1 : 0;
        }
        assertThat(agree).isGreaterThanOrEqualTo(198);
    }
}
