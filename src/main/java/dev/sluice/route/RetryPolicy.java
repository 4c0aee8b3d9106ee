package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.RetryConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A rule's limits on attempts, compiled.
 *
 * @param attempts      most attempts per request, the first included
 * @param budgetMillis  no new attempt starts this long after the plan was made
 * @param backoffMillis first repeat delay (doubling per repeat, jittered)
 * @param maxBackoff    longest repeat delay
 * @param maxWait       longest {@code retry-after} waited out
 * @param firstByte     first-byte limit of an attempt that has a fallback after it, or -1
 */
record RetryPolicy(int attempts, long budgetMillis, long backoffMillis, long maxBackoff, long maxWait, long firstByte) {
    static final int MAX_ATTEMPTS = 10;

    static RetryPolicy compile(String at, RetryConfig c, int targets) {
        int attempts = c.attempts() != null ? c.attempts() : Math.min(MAX_ATTEMPTS, Math.max(2, targets + 1));
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new ConfigException(at + ".attempts: '" + attempts + "' (expected: 1 to " + MAX_ATTEMPTS + ")");
        }
        long budget = c.budget().toMillis();
        long backoff = c.backoff().toMillis();
        long max = c.maxBackoff().toMillis();
        long wait = c.maxWait().toMillis();
        if (budget <= 0 || backoff < 0 || max < backoff || wait < 0) {
            throw new ConfigException(at + ": budget " + budget + "ms, backoff " + backoff + "ms, max-backoff " + max
                    + "ms, max-wait " + wait + "ms (expected: a positive budget, backoff <= max-backoff, no negative durations)");
        }
        long firstByte = c.firstByte() == null ? -1 : c.firstByte().toMillis();
        if (c.firstByte() != null && firstByte <= 0) {
            throw new ConfigException(at + ".first-byte: '" + firstByte + "ms' (expected: a positive duration)");
        }
        return new RetryPolicy(attempts, budget, backoff, max, wait, firstByte);
    }

    /**
     * The delay before the {@code n}-th repeat (0-based) of a target: {@code backoff × 2^n} capped at
     * {@code maxBackoff}, of which a random half is waited ("equal jitter": never zero, never in step with
     * other clients that failed at the same moment).
     */
    long backoff(int n) {
        long cap = Math.min(maxBackoff, backoffMillis << Math.min(n, 20));
        long half = cap / 2;
        return half + (cap - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap - half + 1));
    }
}
