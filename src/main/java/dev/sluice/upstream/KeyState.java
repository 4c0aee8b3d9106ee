package dev.sluice.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the gateway knows right now about one upstream key, shared by every event loop: attempts in
 * flight on it, the rate-limit state its last answer reported, and a cool-down after a
 * {@code retry-after}. Survives configuration reloads (it is about the key's account, not the file).
 */
public final class KeyState {
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicReference<RateLimits> limits = new AtomicReference<>(RateLimits.UNKNOWN);
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
        return limits.get();
    }

    /** Takes the rate-limit state of an answer; an answer without any keeps the last known state. */
    public void observe(RateLimits seen) {
        if (seen != RateLimits.UNKNOWN) {
            limits.set(seen);
        }
    }

    /** Keeps this key out of new attempts until {@code untilMillis} (the upstream asked to wait). */
    public void coolUntil(long untilMillis) {
        if (untilMillis > coolUntilMillis) {
            coolUntilMillis = untilMillis;
        }
    }

    /**
     * Epoch millis when this key may take a request of {@code estimatedTokens} again; at or before now: it may now.
     *
     * <p>Never more than {@link RetryAfter#MAX_MILLIS} ahead: a key rests at most that long on one answer's word, and
     * a rest that reaches further was either said so ({@code anthropic-ratelimit-requests-reset: 2099-01-01T00:00:00Z}
     * from a proxy, with nothing remaining) or made so by the wall clock stepping back after it was set. Either kept the
     * key out of traffic, with no answer to correct it, for as long as the date or the step said (attack round 34).
     * The rest is cut to the bound from now, once, so it then runs out.
     */
    public long availableAt(long estimatedTokens, long nowMillis) {
        long latest = nowMillis + RetryAfter.MAX_MILLIS;
        if (coolUntilMillis > latest) {
            coolUntilMillis = latest;
        }
        RateLimits l = limits.get();
        RateLimits bounded = l.resetBy(latest);
        if (bounded != l) {
            limits.compareAndSet(l, bounded); // lost to a newer answer's state: that one is read next time
        }
        long cool = coolUntilMillis > nowMillis ? coolUntilMillis : 0;
        return Math.max(cool, bounded.availableAt(estimatedTokens, nowMillis));
    }

    public boolean usable(long estimatedTokens, long nowMillis) {
        return availableAt(estimatedTokens, nowMillis) <= nowMillis;
    }

    @Override
    public String toString() {
        return "KeyState[outstanding " + outstanding.get() + ", " + limits + ", cool until " + coolUntilMillis + "]";
    }
}
