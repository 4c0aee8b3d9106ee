package dev.sluice.cache;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.StoreKey;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers on their way into the store, bounded in bytes and in time. A store that stops answering without closing
 * (a Redis paused or stopped with SIGSTOP, a network that drops packets instead of refusing them) keeps each put's
 * entry in its client's queue until the connection is found dead, which TCP can take many minutes to notice, and every
 * cacheable answer meanwhile added one more: the heap filled with answers that would never be stored. So:
 * <ul>
 *   <li>past {@link #MAX_BYTES} of entries the store has not acknowledged, the next answer is not stored (a store
 *       write error, like any other the store refuses) until the store catches up or its connection fails;</li>
 *   <li>a capture waits at most the put timeout for its put, so it ends (and {@code storing()} with it) while the
 *       stalled put's bytes stay counted until the client lets go of them.</li>
 * </ul>
 */
final class StoreWrites {
    /** A sixteenth of the heap, 4 to 64 MB: 12 MB with the launcher's 192 MB, hundreds of typical answers. */
    static final long MAX_BYTES = Math.clamp(Runtime.getRuntime().maxMemory() / 16, 4L << 20, 64L << 20);

    /** Refused because the store has not yet taken what it was given. */
    static final class Behind extends IllegalStateException {
        Behind(long pending) {
            super("the store is behind: " + pending + " bytes of earlier answers not yet acknowledged");
        }
    }

    private final AtomicLong pending = new AtomicLong();
    private final long maxBytes;
    private final long timeoutMillis;

    /** @param lookupTimeout the lookups' wait; a put may take twenty times as long, from one to ten seconds */
    StoreWrites(Duration lookupTimeout) {
        this(MAX_BYTES, Math.clamp(lookupTimeout.toMillis() * 20, 1_000, 10_000));
    }

    StoreWrites(long maxBytes, long timeoutMillis) {
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
    }

    Future<Void> put(CacheStore store, StoreKey key, CacheEntry entry, long generation) {
        long size = weight(entry);
        long now = pending.addAndGet(size);
        if (now > maxBytes && now != size) { // one answer alone is never refused: the store's own bounds judge it
            pending.addAndGet(-size);
            return Future.failedFuture(new Behind(now - size));
        }
        Future<Void> put;
        try {
            put = store.put(key, entry, generation);
        } catch (RuntimeException e) {
            pending.addAndGet(-size);
            return Future.failedFuture(e);
        }
        put.onComplete(ar -> pending.addAndGet(-size));
        return put.isComplete() ? put : put.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Bytes given to the store and not yet acknowledged. */
    long pending() {
        return pending.get();
    }

    private static long weight(CacheEntry e) {
        return e.payload().length + 4L * e.eventEnds().length + 256;
    }
}
