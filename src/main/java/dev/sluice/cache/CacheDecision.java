package dev.sluice.cache;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.settle.Meter;
import dev.sluice.wire.SseEvent;
import java.util.List;

/**
 * What the cache decided for one request: answer it ({@link Hit}), let it go upstream and maybe keep
 * the answer ({@link Miss}), or stay out of the way ({@link Bypass}). {@link #status()} is the value
 * of the {@code x-sluice-cache} response header.
 */
public sealed interface CacheDecision {
    String status();

    /** The request's key and facts (null only when the cache bypassed before reading the body). */
    RequestKey key();

    /**
     * Serve this instead of going upstream.
     *
     * @param events    the SSE events to send, when the client asked for a stream (else null)
     * @param body      the JSON body to send, when it did not (else null)
     * @param ageMillis how old the entry is ({@code x-sluice-cache-age})
     * @param status    {@code hit} for the exact cache, else what the {@link SecondaryLookup} said ({@code semantic})
     * @param similarity how close the question was to the stored one (1 for an exact hit)
     * @param source    where the served entry is stored (the request's own key for an exact hit), or null
     */
    record Hit(RequestKey key, CacheEntry entry, List<SseEvent> events, byte[] body, long ageMillis, String status,
               double similarity, StoreKey source) implements CacheDecision {

        /** What not going upstream saved: the original request's tokens at the served model's prices. */
        public HitSavings savings(Meter meter) {
            return HitSavings.of(meter, entry.model().isEmpty() ? key.model() : entry.model(), entry.usage());
        }
    }

    /**
     * Go upstream. Feed {@code capture} (null when this request may not be stored) the answer as it
     * passes, then finish it.
     *
     * @param refresh true when the client asked to skip the cache ({@code refresh} status)
     */
    record Miss(RequestKey key, CacheCapture capture, boolean refresh) implements CacheDecision {
        @Override
        public String status() {
            return refresh ? "refresh" : "miss";
        }
    }

    /** Not cached at all, for {@code reason} (mode off, unreadable body, too large, ...). */
    record Bypass(RequestKey key, String reason) implements CacheDecision {
        @Override
        public String status() {
            return "bypass";
        }
    }
}
