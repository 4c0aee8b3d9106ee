package dev.sluice.cache.semantic.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

/**
 * Lucene's in-memory HNSW graph over a {@link VectorStore}, used by a {@link ScopeIndex} once it
 * holds more vectors than brute force scans in time. Nodes are added as vectors arrive (Lucene's
 * builder accepts nodes one at a time); removed entries are filtered at search time through an
 * accept-bits view and the graph is rebuilt when too many are dead.
 */
final class HnswGraph {
    private static final int MAX_CONN = 16;
    private static final int BEAM_WIDTH = 100;
    private static final long SEED = 42;

    private final VectorStore store;
    private final StoreValues values;
    private final HnswGraphBuilder builder;
    private int added;

    HnswGraph(VectorStore store) {
        this.store = store;
        this.values = new StoreValues(store);
        try {
            this.builder = HnswGraphBuilder.create(
                    DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(VectorSimilarityFunction.DOT_PRODUCT, values),
                    MAX_CONN, BEAM_WIDTH, SEED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catchUp();
    }

    /** Adds every vector of the store not yet in the graph. */
    void catchUp() {
        try {
            while (added < store.size()) {
                builder.addGraphNode(added++);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long ramBytes() {
        return builder.getGraph().ramBytesUsed();
    }

    List<Neighbor> search(float[] query, int k, Bits accept) {
        try {
            RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(
                    VectorSimilarityFunction.DOT_PRODUCT, values, query);
            OnHeapHnswGraph graph = builder.getGraph();
            TopDocs top = HnswGraphSearcher.search(scorer, Math.max(k, 8), graph, accept, Integer.MAX_VALUE).topDocs();
            List<Neighbor> out = new ArrayList<>(Math.min(k, top.scoreDocs.length));
            for (ScoreDoc d : top.scoreDocs) {
                if (out.size() == k) {
                    break;
                }
                // Lucene scales DOT_PRODUCT to (1 + dot) / 2; recompute the cosine exactly.
                out.add(new Neighbor(d.doc, store.dot(query, d.doc)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lucene's view of the store: ordinal = row; one reused buffer per copy, as Lucene's own readers do. */
    private static final class StoreValues extends FloatVectorValues {
        private final VectorStore store;
        private final float[] buffer;

        StoreValues(VectorStore store) {
            this.store = store;
            this.buffer = new float[store.dim()];
        }

        @Override
        public float[] vectorValue(int ord) {
            store.copyInto(ord, buffer);
            return buffer;
        }

        @Override
        public FloatVectorValues copy() {
            return new StoreValues(store);
        }

        @Override
        public int dimension() {
            return store.dim();
        }

        @Override
        public int size() {
            return store.size();
        }
    }
}
