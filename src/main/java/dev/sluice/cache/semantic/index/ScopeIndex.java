package dev.sluice.cache.semantic.index;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.util.Bits;

/**
 * The vectors of one (tenant scope, anchor, model): brute force with the Vector API while small
 * (a scan of a few thousand 384-float rows takes well under a millisecond), Lucene HNSW once it
 * holds more than {@code hnswAbove}. Bounded to {@code maxEntries}: the oldest entry makes room.
 * Removed entries become tombstones, skipped by both searches; the index is compacted when they
 * outnumber the live ones. Reads share a lock, writes take it alone (stores are rare next to lookups).
 */
public final class ScopeIndex {
    private final int hnswAbove;
    private final int maxEntries;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private VectorStore store;
    private List<StoredEntry> entries = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    private BitSet dead = new BitSet();
    private HnswGraph graph;
    private int oldest;
    private long windowBytes;
    private volatile long lastUsedNanos = System.nanoTime();

    public ScopeIndex(int dim, int hnswAbove, int maxEntries) {
        if (dim < 1 || hnswAbove < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("dim, hnswAbove, maxEntries must be >= 1");
        }
        this.hnswAbove = hnswAbove;
        this.maxEntries = maxEntries;
        this.store = new VectorStore(dim, 16);
    }

    /** Adds (or replaces) an entry; returns the number of entries that had to make room (0 or 1). */
    public int add(float[] vector, StoredEntry entry) {
        lock.writeLock().lock();
        try {
            int evicted = 0;
            removeLocked(entry.entryId());
            if (ordinals.size() >= maxEntries) {
                evicted = evictOldestLocked();
            }
            int ord = store.add(vector);
            entries.add(entry);
            windowBytes += entry.windowBytes();
            ordinals.put(entry.entryId(), ord);
            if (graph != null) {
                graph.catchUp();
            } else if (ordinals.size() > hnswAbove) {
                graph = new HnswGraph(store);
            }
            return evicted;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean remove(String entryId) {
        lock.writeLock().lock();
        try {
            return removeLocked(entryId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The {@code k} nearest live entries with similarity at least {@code minScore}, best first. */
    public List<Candidate> search(float[] query, int k, float minScore) {
        lock.readLock().lock();
        return searchLocked(query, k, minScore);
    }

    /**
     * As {@link #search}, or null at once when a store holds the index (an insert, or the HNSW graph being built): for
     * a caller that must not wait, an event loop.
     */
    public List<Candidate> searchIfFree(float[] query, int k, float minScore) {
        if (!lock.readLock().tryLock()) {
            return null;
        }
        return searchLocked(query, k, minScore);
    }

    /** Called holding the read lock; releases it. */
    private List<Candidate> searchLocked(float[] query, int k, float minScore) {
        lastUsedNanos = System.nanoTime();
        try {
            List<Neighbor> found = graph == null ? bruteForce(query, k) : graph.search(query, k, acceptBits());
            List<Candidate> out = new ArrayList<>(found.size());
            for (Neighbor n : found) {
                if (n.score() >= minScore) {
                    out.add(new Candidate(entries.get(n.ordinal()), n.score()));
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** When the entry was stored, or -1 when this index does not hold it. */
    public long storedAt(String entryId) {
        lock.readLock().lock();
        try {
            Integer ord = ordinals.get(entryId);
            return ord == null ? -1 : entries.get(ord).storedAtMillis();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return ordinals.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean usesHnsw() {
        return graph != null;
    }

    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Approximate heap held: vectors, graph, and per-entry bookkeeping (verify vectors and windows included). */
    public long ramBytes() {
        lock.readLock().lock();
        try {
            long perEntry = 120L + (entries.isEmpty() || entries.getFirst().verifyVector() == null ? 0
                    : 16L + 4L * entries.getFirst().verifyVector().length);
            return store.ramBytes() + (graph == null ? 0 : graph.ramBytes()) + perEntry * entries.size() + windowBytes;
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<Neighbor> bruteForce(float[] query, int k) {
        List<Neighbor> top = new ArrayList<>(k + 1);
        float floor = -2;
        for (int ord = 0; ord < store.size(); ord++) {
            if (dead.get(ord)) {
                continue;
            }
            float s = store.dot(query, ord);
            if (top.size() < k || s > floor) {
                top.add(new Neighbor(ord, s));
                top.sort(Comparator.comparingDouble(n -> -n.score()));
                if (top.size() > k) {
                    top.removeLast();
                }
                floor = top.getLast().score();
            }
        }
        return top;
    }

    private Bits acceptBits() {
        BitSet d = dead;
        int length = store.size();
        return new Bits() {
            @Override
            public boolean get(int index) {
                return !d.get(index);
            }

            @Override
            public int length() {
                return length;
            }
        };
    }

    private boolean removeLocked(String entryId) {
        Integer ord = ordinals.remove(entryId);
        if (ord == null) {
            return false;
        }
        dead.set(ord);
        windowBytes -= entries.get(ord).windowBytes();
        if (dead.cardinality() > Math.max(64, ordinals.size())) {
            compactLocked();
        }
        return true;
    }

    private int evictOldestLocked() {
        while (oldest < entries.size() && dead.get(oldest)) {
            oldest++;
        }
        if (oldest < entries.size()) {
            return removeLocked(entries.get(oldest).entryId()) ? 1 : 0;
        }
        return 0;
    }

    /** Rebuilds the store (and graph) from live entries, dropping tombstones. */
    private void compactLocked() {
        VectorStore fresh = new VectorStore(store.dim(), ordinals.size() + 16);
        List<StoredEntry> kept = new ArrayList<>(ordinals.size());
        ordinals.clear();
        for (int ord = 0; ord < entries.size(); ord++) {
            if (!dead.get(ord)) {
                int n = fresh.add(store.copy(ord));
                kept.add(entries.get(ord));
                ordinals.put(entries.get(ord).entryId(), n);
            }
        }
        store = fresh;
        entries = kept;
        dead = new BitSet();
        oldest = 0;
        graph = ordinals.size() > hnswAbove ? new HnswGraph(store) : null;
    }
}
