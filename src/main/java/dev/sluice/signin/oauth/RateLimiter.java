package dev.sluice.signin.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * A token bucket per key (a client IP), for everything an unauthenticated caller can call: device
 * codes, token polls, the verification page (RFC 8628 §5.1: user codes are short, so guesses must
 * be slow). The table is bounded (least recently used keys go first) so a spray of addresses cannot
 * grow memory.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final Cache<String, Bucket> buckets;

    /** {@code perMinute} sustained, {@code burst} at once, for at most {@code maxKeys} keys. */
    public RateLimiter(int perMinute, int burst, int maxKeys) {
        this.perSecond = perMinute / 60.0;
        this.burst = burst;
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(Duration.ofMinutes(10))
                .executor(Runnable::run).build();
    }

    /** True when {@code key} may make one more call now (and counts it). */
    public boolean tryAcquire(String key) {
        return buckets.get(key == null ? "?" : key, k -> new Bucket(burst)).take(perSecond, burst, System.nanoTime());
    }

    /** Seconds until the next call is allowed, rounded up (for {@code retry-after}). */
    public long retryAfterSeconds() {
        return (long) Math.ceil(1 / perSecond);
    }

    private static final class Bucket {
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double tokens) {
            this.tokens = tokens;
        }

        synchronized boolean take(double perSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
