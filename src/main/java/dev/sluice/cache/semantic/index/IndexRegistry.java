package dev.sluice.cache.semantic.index;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All scope indexes of a process, under one memory budget: when a store pushes the estimated
 * total over {@code maxBytes}, the least recently searched indexes are dropped whole until it fits
 * (an anchor nobody asks under any more is the cheapest thing to forget; its answers stay in the
 * exact cache). The total is recomputed on stores only, which are rare next to lookups.
 */
public final class IndexRegistry {
    private final Map<IndexKey, ScopeIndex> indexes = new ConcurrentHashMap<>();
    private final int dim;
    private final int hnswAbove;
    private final int maxEntriesPerIndex;
    private final long maxBytes;
    private final AtomicLong evictedIndexes = new AtomicLong();

    public IndexRegistry(int dim, int hnswAbove, int maxEntriesPerIndex, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.dim = dim;
        this.hnswAbove = hnswAbove;
        this.maxEntriesPerIndex = maxEntriesPerIndex;
        this.maxBytes = maxBytes;
    }

    public Optional<ScopeIndex> find(IndexKey key) {
        return Optional.ofNullable(indexes.get(Objects.requireNonNull(key, "key")));
    }

    public ScopeIndex add(IndexKey key, float[] vector, StoredEntry entry) {
        ScopeIndex index = indexes.computeIfAbsent(key, k -> new ScopeIndex(dim, hnswAbove, maxEntriesPerIndex));
        index.add(vector, entry);
        enforceBudget(key);
        return index;
    }

    public boolean remove(IndexKey key, String entryId) {
        ScopeIndex index = indexes.get(key);
        return index != null && index.remove(entryId);
    }

    public long ramBytes() {
        return indexes.values().stream().mapToLong(ScopeIndex::ramBytes).sum();
    }

    public int indexCount() {
        return indexes.size();
    }

    public long evictedIndexes() {
        return evictedIndexes.get();
    }

    private void enforceBudget(IndexKey justUsed) {
        long total = ramBytes();
        if (total <= maxBytes) {
            return;
        }
        List<Map.Entry<IndexKey, ScopeIndex>> byAge = indexes.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUsedNanos()))
                .toList();
        for (Map.Entry<IndexKey, ScopeIndex> e : byAge) {
            if (total <= maxBytes) {
                break;
            }
            if (e.getKey().equals(justUsed)) {
                continue; // the index just written stays; alone it is bounded by its per-index cap
            }
            if (indexes.remove(e.getKey(), e.getValue())) {
                total -= e.getValue().ramBytes();
                evictedIndexes.incrementAndGet();
            }
        }
    }
}
