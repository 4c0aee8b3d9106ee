package dev.sluice.cache.semantic.index;

import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Lucene HNSW scorers that read a {@link VectorStore}'s rows in place (Lucene's default scorer over a
 * {@code FloatVectorValues} copies every row it visits into a buffer first). Scores are Lucene's
 * {@code DOT_PRODUCT} scale, {@code max((1 + dot) / 2, 0)}, so the graph is built and searched as before.
 * Not thread-safe beyond what {@link ScopeIndex}'s lock gives: the store is read, never written, while they score.
 */
final class StoreScorers {
    private StoreScorers() {
    }

    static float scale(float dot) {
        return Math.max((1 + dot) / 2, 0);
    }

    /**
     * Scores rows against {@code query} (a lookup) on their int8 copies ({@link Int8Rows}): the walk reads a quarter
     * of the bytes, and the caller rescores what it keeps with the floats.
     */
    static RandomVectorScorer query(VectorStore store, float[] query) {
        if (query.length != store.dim()) {
            throw new IllegalArgumentException("vector dim: " + query.length + " (expected: " + store.dim() + ")");
        }
        Int8Rows.Code q = Int8Rows.quantize(query);
        return new RandomVectorScorer() {
            @Override
            public float score(int node) {
                return scale(store.approxDot(q, node));
            }

            @Override
            public int maxOrd() {
                return store.size();
            }
        };
    }

    /** Scores rows against another row (the graph builder's neighbour choice). */
    static RandomVectorScorerSupplier rows(VectorStore store) {
        return new RandomVectorScorerSupplier() {
            @Override
            public UpdateableRandomVectorScorer scorer() {
                return new UpdateableRandomVectorScorer() {
                    private int from;

                    @Override
                    public void setScoringOrdinal(int node) {
                        from = node;
                    }

                    @Override
                    public float score(int node) {
                        return scale(store.dot(from, node));
                    }

                    @Override
                    public int maxOrd() {
                        return store.size();
                    }
                };
            }

            @Override
            public RandomVectorScorerSupplier copy() {
                return this; // stateless: each scorer() keeps its own row
            }
        };
    }
}
