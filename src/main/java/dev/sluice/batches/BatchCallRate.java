package dev.sluice.batches;

import dev.sluice.wire.ApiError;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many upstream calls each gateway key's batch calls may make a minute. Every developer's batches go through the
 * team's one upstream account, whose batch calls the provider limits per account, and a list of 100 batches is 100
 * upstream calls (each batch's state is asked of its upstream): without a bound of its own, one key polling in a loop
 * spends the account's allowance for everyone (attack round 31). A token bucket per key: a minute's worth at once, then
 * refilled evenly; a call it cannot pay for gets a retryable 429 saying when it can. Per replica, like the fair queue.
 */
final class BatchCallRate {
    /** Upstream calls a key's batch calls may make a minute (a system property; 0: no bound). */
    static final String PROPERTY = "sluice.batches.calls-per-minute";
    static final long DEFAULT_PER_MINUTE = 300;
    /** Keys remembered at most; past it the full buckets (keys idle for a minute) are forgotten. */
    private static final int MAX_KEYS = 100_000;

    private final long perMinute;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    BatchCallRate(long perMinute, LongSupplier nanos) {
        this.perMinute = Math.max(0, perMinute);
        this.nanos = nanos;
    }

    static BatchCallRate fromProperty() {
        return new BatchCallRate(Long.getLong(PROPERTY, DEFAULT_PER_MINUTE), System::nanoTime);
    }

    /** Takes {@code calls} upstream calls from {@code key}'s allowance, or throws the 429 that says when to retry. */
    void take(String key, int calls) {
        if (perMinute == 0 || calls <= 0) {
            return;
        }
        if (buckets.size() > MAX_KEYS) {
            long now = nanos.getAsLong();
            buckets.values().removeIf(b -> b.full(now));
        }
        long waitMillis = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, nanos.getAsLong()))
                .take(Math.min(calls, perMinute), nanos.getAsLong());
        if (waitMillis > 0) {
            long seconds = Math.max(1, (waitMillis + 999) / 1000);
            throw new ApiError(429, "rate_limit_error", "this key's batch calls have used the " + perMinute
                    + " upstream calls a minute the gateway allows each key (a listed batch is one call); retry in "
                    + seconds + " s", true, Map.of("retry-after", Long.toString(seconds)));
        }
    }

    /** One key's allowance, in calls; refilled at {@code perMinute} a minute up to a minute's worth. */
    private static final class Bucket {
        private final long capacity;
        private double tokens;
        private long at;

        Bucket(long capacity, long now) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.at = now;
        }

        synchronized long take(long calls, long now) {
            refill(now);
            if (tokens >= calls) {
                tokens -= calls;
                return 0;
            }
            return (long) Math.ceil((calls - tokens) * 60_000.0 / capacity);
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - at) * (capacity / 60e9));
            at = now;
        }
    }
}
