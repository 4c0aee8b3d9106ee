package dev.sluice.cache.semantic.index;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import org.apache.lucene.util.Bits;

/**
 * The vectors of one (tenant scope, anchor, model): brute force with the Vector API while small
 * (a scan of a few thousand 384-float rows takes well under a millisecond), Lucene HNSW once it
 * holds more than {@code hnswAbove}. Bounded to {@code maxEntries}: the oldest entry makes room.
 * Removed entries become tombstones, skipped by both searches; the index is compacted when they
 * outnumber the live ones. Reads share a lock, writes take it alone (stores are rare next to lookups).
 *
 * <p>Most indexes hold one conversation's few questions, often one, so the vectors start with room for one row and
 * double as they grow (room for 16 made a one-entry index ~27 KB instead of ~4 KB), and {@link #ramBytes} counts
 * what an index costs before its first entry. A registry is told of every change of that figure as it happens, so
 * it keeps the sum without visiting every index.
 */
public final class ScopeIndex {
    /**
     * Heap of an index before its vectors: this object, its lock, maps and lists, its key and the registry's map node
     * (~800 bytes measured with a class histogram; rounded up).
     */
    static final long EMPTY_BYTES = 1_024;

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
    private final LongConsumer sizeChanges;
    /** What {@link #sizeChanges} has been told so far; under the write lock. */
    private long reportedBytes;
    private boolean detached;

    public ScopeIndex(int dim, int hnswAbove, int maxEntries) {
        this(dim, hnswAbove, maxEntries, delta -> {
        });
    }

    /** An index that tells {@code sizeChanges} each change of its {@link #ramBytes}, the first one on creation. */
    ScopeIndex(int dim, int hnswAbove, int maxEntries, LongConsumer sizeChanges) {
        if (dim < 1 || hnswAbove < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("dim, hnswAbove, maxEntries must be >= 1");
        }
        this.hnswAbove = hnswAbove;
        this.maxEntries = maxEntries;
        this.store = new VectorStore(dim, 1);
        this.sizeChanges = sizeChanges;
        reportLocked();
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
            reportLocked();
            return evicted;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean remove(String entryId) {
        lock.writeLock().lock();
        try {
            boolean removed = removeLocked(entryId);
            reportLocked();
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Stops telling the registry of changes (it dropped this index); returns the bytes it was told last. */
    long detach() {
        lock.writeLock().lock();
        try {
            detached = true;
            return reportedBytes;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void reportLocked() {
        if (detached) {
            return;
        }
        long now = ramBytesLocked();
        sizeChanges.accept(now - reportedBytes);
        reportedBytes = now;
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
            return ramBytesLocked();
        } finally {
            lock.readLock().unlock();
        }
    }

    private long ramBytesLocked() {
        long perEntry = 120L + (entries.isEmpty() || entries.getFirst().verifyVector() == null ? 0
                : 16L + 4L * entries.getFirst().verifyVector().length);
        return EMPTY_BYTES + store.ramBytes() + (graph == null ? 0 : graph.ramBytes()) + perEntry * entries.size() + windowBytes;
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
        VectorStore fresh = new VectorStore(store.dim(), Math.max(1, ordinals.size()));
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
