package dev.sluice.cache.store;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.KeySecret;
import io.vertx.core.Future;

/**
 * Where entries are kept: in this process ({@link MemoryStore}) or in Redis, shared by replicas
 * ({@link RedisStore}).
 *
 * <p>Busting works by generations: every (org, scope) and (org, scope, namespace) has a counter that
 * a bust raises. A lookup reads the counters with the entry ({@link Found#generation()}) and an entry
 * only counts when it was stored under the same counters, so an answer still being captured when its
 * namespace is busted can never be served afterwards.
 */
public interface CacheStore {
    /** A stored entry (null when there is none) and the generation a new entry must be stored under. */
    record Found(CacheEntry entry, long generation) {
    }

    /** The entry for {@code key} if one was stored under the current generation and has not expired. */
    Future<Found> get(StoreKey key);

    /** Stores {@code entry} under {@code key} for generation {@code generation} until its expiry. */
    Future<Void> put(StoreKey key, CacheEntry entry, long generation);

    /** Makes every entry of the scope (in {@code namespace} only, unless it is null) unreachable; returns the new generation. */
    Future<Long> bust(String org, String scope, String namespace);

    /** The secret every replica keys requests with. */
    Future<KeySecret> secret();

    /**
     * The secret every replica keys requests with now, offering {@code current} where the shared one is gone (a
     * flushed or replaced Redis), so running replicas keep theirs and one started afterwards adopts it.
     */
    default Future<KeySecret> secret(KeySecret current) {
        return secret();
    }

    /** Entries and bytes held (approximate for Redis, where only this replica's writes are counted). */
    StoreStats stats();

    Future<Void> close();

    /** Counters for metrics and reports. */
    record StoreStats(long entries, long bytes, long budgetBytes, long evictions) {
    }
}
