package dev.sluice.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.entry.EntryCodec;
import dev.sluice.cache.key.KeySecret;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The in-process store: a Caffeine cache bounded by bytes (each entry weighs its payload plus a fixed
 * overhead), with every entry expiring at its own time. Caffeine's W-TinyLFU keeps the entries that
 * are asked for again when the budget is full.
 *
 * <p>Compressed (the default), entries are held in their {@link EntryCodec} form, deflated when that
 * pays, and decoded on each hit: measured on streamed answers, about 4 times as many answers in the
 * same budget for an inflate of tens of microseconds per hit (docs/bench/cache.md).
 */
public final class MemoryStore implements CacheStore {
    /** What one entry holds besides its bytes: key, node, holder. */
    private static final int OVERHEAD = 200;

    private record Held(CacheEntry entry, byte[] encoded, long generation, int weight) {
        CacheEntry get() {
            return entry != null ? entry : EntryCodec.decode(encoded);
        }
    }

    private final Cache<StoreKey, Held> cache;
    private final Generations generations = new Generations();
    private final KeySecret secret = KeySecret.random();
    private final long budget;
    private final boolean compressed;
    private final LongSupplier clock;

    /** A compressed store of {@code budgetBytes}. */
    public MemoryStore(long budgetBytes) {
        this(budgetBytes, true);
    }

    public MemoryStore(long budgetBytes, boolean compressed) {
        this(budgetBytes, compressed, System::currentTimeMillis);
    }

    /** With a clock of its own (tests; it must be the cache's clock). */
    public MemoryStore(long budgetBytes, boolean compressed, LongSupplier clockMillis) {
        if (budgetBytes < 1024) {
            throw new IllegalArgumentException("cache budget: " + budgetBytes + " bytes (expected: at least 1024)");
        }
        this.budget = budgetBytes;
        this.compressed = compressed;
        this.clock = clockMillis;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(budgetBytes)
                .weigher((StoreKey k, Held h) -> h.weight())
                .expireAfter(new Expiry<StoreKey, Held>() {
                    @Override
                    public long expireAfterCreate(StoreKey key, Held value, long currentTime) {
                        return remainingNanos(value);
                    }

                    @Override
                    public long expireAfterUpdate(StoreKey key, Held value, long currentTime, long currentDuration) {
                        return remainingNanos(value);
                    }

                    @Override
                    public long expireAfterRead(StoreKey key, Held value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    private long remainingNanos(Held h) {
        long expires = h.entry != null ? h.entry.expiresAt() : expiresOf(h);
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, expires - clock.getAsLong()));
    }

    private static long expiresOf(Held h) {
        CacheEntry e = EntryCodec.decode(h.encoded);
        return e == null ? 0 : e.expiresAt();
    }

    @Override
    public Future<Found> get(StoreKey key) {
        long generation = generations.of(key);
        Held h = cache.getIfPresent(key);
        if (h == null || h.generation() != generation) {
            return Future.succeededFuture(new Found(null, generation));
        }
        CacheEntry e = h.get();
        if (e == null || e.expiresAt() <= clock.getAsLong()) {
            return Future.succeededFuture(new Found(null, generation));
        }
        return Future.succeededFuture(new Found(e, generation));
    }

    /**
     * The key's own strings, two bytes a character at most: a namespace is the caller's (up to 128 characters) and held
     * per entry, so tiny answers under long namespaces weighed half what they took (attack round 28).
     */
    private static int keyChars(StoreKey key) {
        return 2 * (key.org().length() + key.scope().length() + key.namespace().length());
    }

    @Override
    public Future<Void> put(StoreKey key, CacheEntry entry, long generation) {
        if (generation != generations.of(key)) {
            return Future.succeededFuture(); // busted while it was being captured
        }
        Held h;
        if (compressed) {
            byte[] encoded = EntryCodec.encode(entry);
            h = new Held(null, encoded, generation, OVERHEAD + keyChars(key) + encoded.length);
        } else {
            h = new Held(entry, null, generation, OVERHEAD + keyChars(key) + entry.weight());
        }
        if (h.weight() > budget / 4) {
            return Future.succeededFuture(); // one answer never takes over the cache
        }
        cache.put(key, h);
        return Future.succeededFuture();
    }

    @Override
    public Future<Long> bust(String org, String scope, String namespace) {
        long g = generations.bump(org, scope, namespace);
        cache.asMap().keySet().removeIf(k -> k.within(org, scope, namespace));
        return Future.succeededFuture(g);
    }

    @Override
    public Future<KeySecret> secret() {
        return Future.succeededFuture(secret);
    }

    @Override
    public StoreStats stats() {
        cache.cleanUp();
        long weight = cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
        return new StoreStats(cache.estimatedSize(), weight, budget, cache.stats().evictionCount());
    }

    @Override
    public Future<Void> close() {
        cache.invalidateAll();
        return Future.succeededFuture();
    }
}
