package dev.sluice.cache.semantic.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborQueue;
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
    private static final Comparator<Neighbor> BEST_FIRST = Comparator.comparingDouble(n -> -n.score());
    /**
     * One searcher per lookup thread, its visited set and candidate queue kept between searches (Lucene clears and
     * grows them at the start of each). Lucene's static search makes both anew every time: over 100,000 entries a
     * 12 KB bit set, the largest garbage of a semantic miss, and garbage is what sets a miss's tail (young pauses
     * fall on the request whose allocation triggers them).
     */
    private static final ThreadLocal<HnswGraphSearcher> SEARCHERS =
            ThreadLocal.withInitial(() -> new HnswGraphSearcher(new NeighborQueue(16, true), new FixedBitSet(1024)));

    private final VectorStore store;
    private final HnswGraphBuilder builder;
    private int added;

    HnswGraph(VectorStore store) {
        this.store = store;
        try {
            this.builder = HnswGraphBuilder.create(StoreScorers.rows(store), MAX_CONN, BEAM_WIDTH, SEED);
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
            RandomVectorScorer scorer = StoreScorers.query(store, query);
            OnHeapHnswGraph graph = builder.getGraph();
            TopKnnCollector collector = new TopKnnCollector(Math.max(k, 8), Integer.MAX_VALUE);
            SEARCHERS.get().search(collector, scorer, graph, accept);
            TopDocs top = collector.topDocs();
            // The walk ranked the rows by their int8 copies: rescore the beam with the floats, keep the best k.
            List<Neighbor> out = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc d : top.scoreDocs) {
                out.add(new Neighbor(d.doc, store.dot(query, d.doc)));
            }
            out.sort(BEST_FIRST);
            return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
