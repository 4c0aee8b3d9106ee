package dev.sluice.budget.counter;

import java.time.Duration;

/**
 * How replicas lease budget headroom from Redis ({@link LeasedCounters}).
 *
 * @param share    a lease grows by at most {@code 1/share} of a line's headroom ({@code cap − x}) per flush
 * @param requests the headroom a lease asks for beyond what it has in flight: this many of the largest worst case
 *                 seen on the line (or what is in flight, when that is more)
 * @param flush    how often settled spend is sent and leases are resized, one script call per tenant
 * @param ttl      how long Redis keeps a lease that is not renewed (a crashed replica's lease comes back after it);
 *                 a replica stops serving from a lease it could not renew for half of it
 * @param idle     a line's lease with no request for this long is given back (shrunk to what is in flight)
 */
public record LeaseSettings(int share, int requests, Duration flush, Duration ttl, Duration idle) {
    public static final LeaseSettings DEFAULTS = new LeaseSettings(8, 16, Duration.ofMillis(20), Duration.ofSeconds(30),
            Duration.ofSeconds(5));

    public LeaseSettings {
        if (share < 2) {
            throw new IllegalArgumentException("lease share: " + share + " (expected: >= 2)");
        }
        if (requests < 1) {
            throw new IllegalArgumentException("lease requests: " + requests + " (expected: >= 1)");
        }
        if (flush.toMillis() < 1 || ttl.toMillis() < 4 * flush.toMillis()) {
            throw new IllegalArgumentException("lease flush " + flush + ", ttl " + ttl + " (expected: flush >= 1ms, ttl >= 4 flushes)");
        }
    }
}
