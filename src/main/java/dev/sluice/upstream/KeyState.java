package dev.sluice.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway knows right now about one upstream key, shared by every event loop: attempts in
 * flight on it, the rate-limit state its last answer reported, and a cool-down after a
 * {@code retry-after}. Survives configuration reloads (it is about the key's account, not the file).
 */
public final class KeyState {
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile RateLimits limits = RateLimits.UNKNOWN;
    private volatile long coolUntilMillis;

    /** Attempts on this key that have started and not ended. */
    public int outstanding() {
        return outstanding.get();
    }

    public void started() {
        outstanding.incrementAndGet();
    }

    public void ended() {
        outstanding.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    public RateLimits limits() {
        return limits;
    }

    /** Takes the rate-limit state of an answer; an answer without any keeps the last known state. */
    public void observe(RateLimits seen) {
        if (seen != RateLimits.UNKNOWN) {
            limits = seen;
        }
    }

    /** Keeps this key out of new attempts until {@code untilMillis} (the upstream asked to wait). */
    public void coolUntil(long untilMillis) {
        if (untilMillis > coolUntilMillis) {
            coolUntilMillis = untilMillis;
        }
    }

    /** Epoch millis when this key may take a request of {@code estimatedTokens} again; at or before now: it may now. */
    public long availableAt(long estimatedTokens, long nowMillis) {
        long cool = coolUntilMillis > nowMillis ? coolUntilMillis : 0;
        return Math.max(cool, limits.availableAt(estimatedTokens, nowMillis));
    }

    public boolean usable(long estimatedTokens, long nowMillis) {
        return availableAt(estimatedTokens, nowMillis) <= nowMillis;
    }

    @Override
    public String toString() {
        return "KeyState[outstanding " + outstanding.get() + ", " + limits + ", cool until " + coolUntilMillis + "]";
    }
}
