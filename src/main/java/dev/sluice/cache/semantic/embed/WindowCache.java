package dev.sluice.cache.semantic.embed;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transformer window vectors (pooled sums, see {@link WindowedVerifier}) by partition and window hash,
 * bounded by bytes (Caffeine's W-TinyLFU evicts). The partition is the tenant scope the semantic index
 * is keyed by: a window embedded for one org is never found for another, so no tenant can learn from a
 * lookup's speed that another one embedded the same words. Each entry costs about
 * {@link #ENTRY_BYTES} plus the partition string.
 */
public final class WindowCache {
    /** 384 floats, the key (two longs and a reference), Caffeine's node. */
    public static final int ENTRY_BYTES = 4 * MiniLmModel.DIMENSIONS + 16 + 120;

    /** A window's content hash (128 bits of SHA-256 over its ids) inside one partition. */
    public record Key(String partition, long hi, long lo) {
        public Key {
            Objects.requireNonNull(partition, "partition");
        }
    }

    /** Counters since start: hits, misses, evictions, and what is held now. */
    public record Stats(long hits, long misses, long evictions, long entries, long bytes, long maxBytes) {
    }

    private final long maxBytes;
    private final Cache<Key, float[]> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public WindowCache(long maxBytes) {
        if (maxBytes < ENTRY_BYTES) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= " + ENTRY_BYTES + ")");
        }
        this.maxBytes = maxBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, float[] v) -> weight(k, v))
                .removalListener((k, v, cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    public float[] get(Key key) {
        float[] v = cache.getIfPresent(key);
        (v == null ? misses : hits).increment();
        return v;
    }

    /** Whether {@code key} is held, without counting a hit or a miss (benchmarks ask what a lookup will run). */
    public boolean contains(Key key) {
        return cache.getIfPresent(key) != null;
    }

    public void put(Key key, float[] pooledSum) {
        cache.put(key, pooledSum);
    }

    /** Runs pending evictions (Caffeine amortises them over writes); tests and stats call it. */
    public void cleanUp() {
        cache.cleanUp();
    }

    public Stats stats() {
        long bytes = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new Stats(hits.sum(), misses.sum(), evictions.sum(), cache.estimatedSize(), bytes, maxBytes);
    }

    private static int weight(Key k, float[] v) {
        return 4 * v.length + 16 + 120 + 2 * k.partition().length();
    }
}
