package dev.sluice.cache.semantic.index;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All scope indexes of a process, under one memory budget: when a store pushes the estimated
 * total over {@code maxBytes}, the least recently searched indexes are dropped whole until it is
 * back under seven eighths of it (an anchor nobody asks under any more is the cheapest thing to
 * forget; its answers stay in the exact cache). Every new conversation makes an index, so there may
 * be tens of thousands: the total is kept as each index reports its changes, never summed over them,
 * and the sort by age runs once per eighth of the budget stored, not on every store past the bound.
 */
public final class IndexRegistry {
    private final Map<IndexKey, ScopeIndex> indexes = new ConcurrentHashMap<>();
    private final int dim;
    private final int hnswAbove;
    private final int maxEntriesPerIndex;
    private final long maxBytes;
    private final AtomicLong evictedIndexes = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicBoolean evicting = new AtomicBoolean();

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
        ScopeIndex index = indexes.computeIfAbsent(key,
                k -> new ScopeIndex(dim, hnswAbove, maxEntriesPerIndex, totalBytes::addAndGet));
        index.add(vector, entry);
        enforceBudget(key);
        return index;
    }

    public boolean remove(IndexKey key, String entryId) {
        ScopeIndex index = indexes.get(key);
        return index != null && index.remove(entryId);
    }

    /** The estimated heap of every index held (each one's {@link ScopeIndex#ramBytes}, kept as they change). */
    public long ramBytes() {
        return totalBytes.get();
    }

    public int indexCount() {
        return indexes.size();
    }

    public long evictedIndexes() {
        return evictedIndexes.get();
    }

    private void enforceBudget(IndexKey justUsed) {
        if (totalBytes.get() <= maxBytes || !evicting.compareAndSet(false, true)) {
            return; // within budget, or another store is already making room
        }
        try {
            long target = maxBytes - maxBytes / 8;
            List<Map.Entry<IndexKey, ScopeIndex>> byAge = indexes.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().lastUsedNanos()))
                    .toList();
            for (Map.Entry<IndexKey, ScopeIndex> e : byAge) {
                if (totalBytes.get() <= target) {
                    break;
                }
                if (e.getKey().equals(justUsed)) {
                    continue; // the index just written stays; alone it is bounded by its per-index cap
                }
                if (indexes.remove(e.getKey(), e.getValue())) {
                    totalBytes.addAndGet(-e.getValue().detach());
                    evictedIndexes.incrementAndGet();
                }
            }
        } finally {
            evicting.set(false);
        }
    }
}
