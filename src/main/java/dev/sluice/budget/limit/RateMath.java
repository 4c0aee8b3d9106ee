package dev.sluice.budget.limit;

/**
 * The two algorithms over a small state array, shared by the memory store and mirrored by {@code ratelimit.lua}.
 *
 * <ul>
 *   <li>Sliding window, state {window, count, previous}: the estimate at time t is
 *       {@code previous × (1 − elapsed/60s) + count}; a request fits when estimate + cost ≤ limit.</li>
 *   <li>Token bucket, state {milli-tokens, last}: refills at limit per minute up to limit; a request fits when the
 *       bucket holds its cost.</li>
 * </ul>
 */
final class RateMath {
    static final long MINUTE = 60_000;

    private RateMath() {
    }

    /** Rolls the state to {@code now}; returns the wait in ms until {@code cost} fits, 0 when it fits now. */
    static long waitMillis(RateRule.Algorithm alg, long[] s, long now, long limit, long cost) {
        if (alg == RateRule.Algorithm.SLIDING_WINDOW) {
            roll(s, now);
            long into = Math.max(0, now - s[0] * MINUTE); // a clock behind the window counts as its start
            double est = s[2] * (1 - (double) into / MINUTE) + s[1];
            if (est + cost <= limit) {
                return 0;
            }
            long toNext = MINUTE - into;
            if (s[1] + cost > limit) {
                // even with the previous minute gone it will not fit before the next window
                return toNext + (s[1] + cost > limit * 2L ? MINUTE : 0);
            }
            // the previous minute's weight falls by previous/60000 per ms
            double need = est + cost - limit;
            return Math.min(toNext, Math.max(1, (long) Math.ceil(need / s[2] * MINUTE)));
        }
        refill(s, now, limit);
        long have = s[0];
        long want = cost * 1000;
        if (have >= want) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((want - have) / (limit * 1000.0 / MINUTE)));
    }

    /** Charges {@code cost} (negative gives back). */
    static void charge(RateRule.Algorithm alg, long[] s, long now, long limit, long cost) {
        if (alg == RateRule.Algorithm.SLIDING_WINDOW) {
            roll(s, now);
            s[1] = Math.max(0, s[1] + cost);
        } else {
            refill(s, now, limit);
            s[0] = Math.min(limit * 1000, s[0] - cost * 1000);
        }
    }

    static long[] fresh(RateRule.Algorithm alg, long now, long limit) {
        return alg == RateRule.Algorithm.SLIDING_WINDOW ? new long[] {now / MINUTE, 0, 0} : new long[] {limit * 1000, now};
    }

    /**
     * Moves the window to {@code now}'s minute. Never back: a clock behind the stored window (this host's stepped back,
     * or another replica's running behind on a shared Redis count) used to start a fresh minute with nothing counted,
     * so each step, or each request from the slower replica, handed out the whole limit again (attack round 34).
     */
    private static void roll(long[] s, long now) {
        long w = now / MINUTE;
        if (w > s[0]) {
            s[2] = w == s[0] + 1 ? s[1] : 0;
            s[1] = 0;
            s[0] = w;
        }
    }

    private static void refill(long[] s, long now, long limit) {
        long elapsed = Math.max(0, now - s[1]);
        s[0] = Math.min(limit * 1000, s[0] + elapsed * limit * 1000 / MINUTE);
        // Never back: a clock behind the last refill would have the minute it stepped back refilled a second time.
        s[1] = Math.max(s[1], now);
    }
}
