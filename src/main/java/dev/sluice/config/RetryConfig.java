package dev.sluice.config;

import java.time.Duration;

/**
 * Limits on the attempts of one request. Any field left out takes the value of
 * {@code routing.retry}, and there the built-in default.
 *
 * @param attempts   most attempts per request, the first included (default: targets + 1, at least 2)
 * @param budget     no new attempt starts this long after the request arrived (default 2m)
 * @param backoff    first delay before trying a target again (doubles per repeat, jittered; default 100ms)
 * @param maxBackoff longest such delay (default 2s)
 * @param maxWait    longest {@code retry-after} the gateway waits out itself; a longer one goes back to
 *                   the client when no other target or key can take the request (default 2s)
 * @param firstByte  how long an attempt that still has a fallback after it may wait for its first byte (a
 *                   response head; a stream's first event) before the next target is tried; the last
 *                   attempt always gets {@code timeouts.first-byte} (default: no shorter limit)
 */
public record RetryConfig(Integer attempts, Duration budget, Duration backoff, Duration maxBackoff, Duration maxWait,
                          Duration firstByte) {
    public static RetryConfig defaults() {
        return new RetryConfig(null, Duration.ofMinutes(2), Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(2),
                null);
    }

    /** This configuration with every missing field taken from {@code base}. */
    public RetryConfig over(RetryConfig base) {
        return new RetryConfig(attempts != null ? attempts : base.attempts, budget != null ? budget : base.budget,
                backoff != null ? backoff : base.backoff, maxBackoff != null ? maxBackoff : base.maxBackoff,
                maxWait != null ? maxWait : base.maxWait, firstByte != null ? firstByte : base.firstByte);
    }
}
