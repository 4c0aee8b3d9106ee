package dev.sluice.cache;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.store.StoreKey;
import io.vertx.core.Future;

/**
 * A second way to find an answer when the exact key misses: the seam the semantic cache plugs into
 * (issue 8). It sees the same request, key (with the anchor, newest-turn facts and bindings) and
 * scope as the exact cache, and is told about every entry the exact cache stores.
 */
public interface SecondaryLookup {
    /**
     * An entry found another way.
     *
     * @param entry      the answer to replay (placeholders are substituted like an exact hit's)
     * @param status     the {@code x-sluice-cache} value, e.g. {@code semantic}
     * @param similarity how close the match was, for headers and traces (1 for exact)
     * @param source     where the entry is stored (for feedback on the answer), or null
     */
    record Found(CacheEntry entry, String status, double similarity, StoreKey source) {
        public Found(CacheEntry entry, String status, double similarity) {
            this(entry, status, similarity, null);
        }
    }

    /** Called on an exact miss when reading is allowed; a null result (or a failed future) is a miss. */
    Future<Found> find(CacheRequest request, RequestKey key, StoreKey exactKey);

    /** Called after the exact cache stored {@code entry} under {@code exactKey} for {@code request}. */
    void stored(CacheRequest request, RequestKey key, StoreKey exactKey, CacheEntry entry);
}
