package dev.sluice.upstream;

import dev.sluice.config.HealthConfig;

/**
 * The health of one upstream as its traffic shows it, and its circuit breaker.
 *
 * <pre>
 *            failures ≥ rate over the window (with enough attempts), or N in a row
 *   CLOSED ──────────────────────────────────────────────────────────────► OPEN
 *     ▲                                                                 │  ▲
 *     │ probe succeeds                                  open-for elapsed │  │ probe fails
 *     │                                                                  ▼  │ (open-for doubles)
 *     └──────────────────────────────────────────────────────────────── HALF_OPEN
 *                       (one request per probe-interval goes through)
 * </pre>
 *
 * The window is a ring of ten buckets covering {@code window}; a bucket older than the window is
 * cleared when its slot comes round again, so memory is fixed. Outcomes that say nothing about the
 * upstream (the client left, a key's own rate limit) are not counted. Synchronized: one instance
 * per upstream, touched once per attempt by whichever event loop ran it.
 */
public final class TargetHealth {
    /** Breaker states. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** What one attempt says about the upstream. */
    public enum Outcome { SUCCESS, FAILURE, NEUTRAL }

    private static final int BUCKETS = 10;

    private final long[] bucketId = new long[BUCKETS];
    private final int[] total = new int[BUCKETS];
    private final int[] failed = new int[BUCKETS];
    private State state = State.CLOSED;
    private long openedAt;
    private long openFor;
    private long nextProbeAt;
    private long probeTakenAt = Long.MIN_VALUE;
    private int consecutive;
    private long lastFailureAt = Long.MIN_VALUE / 2;
    private double ttfbEwma = -1;
    private long successes;
    private long failures;
    private long opened;

    /** True when the breaker lets a request through now, without taking the probe slot. */
    public synchronized boolean allows(long now) {
        advance(now);
        return state == State.CLOSED || state == State.HALF_OPEN && now >= nextProbeAt;
    }

    /** Like {@link #allows}, and a half-open breaker gives its probe slot to this caller. */
    public synchronized boolean acquire(HealthConfig cfg, long now) {
        advance(now);
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.HALF_OPEN && now >= nextProbeAt) {
            probeTakenAt = now;
            nextProbeAt = now + cfg.probeInterval().toMillis();
            return true;
        }
        return false;
    }

    /** Counts one attempt's outcome, with its time to first byte ({@code -1} if none), and moves the breaker. */
    public synchronized void record(HealthConfig cfg, Outcome outcome, long ttfbMillis, long now) {
        if (outcome == Outcome.NEUTRAL) {
            return;
        }
        advance(now);
        int b = bucket(cfg, now);
        total[b]++;
        if (outcome == Outcome.SUCCESS) {
            successes++;
            consecutive = 0;
            if (ttfbMillis >= 0) {
                ttfbEwma = ttfbEwma < 0 ? ttfbMillis : 0.8 * ttfbEwma + 0.2 * ttfbMillis;
            }
            if (state == State.HALF_OPEN) {
                close(cfg);
            }
            return;
        }
        failed[b]++;
        failures++;
        // "In a row" within the window: a failure long after the last one starts a new run.
        consecutive = now - lastFailureAt > cfg.window().toMillis() ? 1 : consecutive + 1;
        lastFailureAt = now;
        if (state == State.HALF_OPEN) {
            open(now, Math.min(cfg.maxOpenFor().toMillis(), Math.max(cfg.openFor().toMillis(), openFor * 2)));
        } else if (state == State.CLOSED && trips(cfg, now)) {
            open(now, cfg.openFor().toMillis());
        }
    }

    /**
     * An active check's result: a failure counts like a failed attempt; a success while open lets the
     * breaker probe at once instead of waiting out its open period.
     */
    public synchronized void checked(HealthConfig cfg, boolean healthy, long now) {
        if (!healthy) {
            record(cfg, Outcome.FAILURE, -1, now);
            return;
        }
        advance(now);
        if (state == State.OPEN) {
            state = State.HALF_OPEN;
            nextProbeAt = now;
        }
    }

    public synchronized State state(long now) {
        advance(now);
        return state;
    }

    /** A consistent copy of the counters, for the status view. */
    public synchronized View view(HealthConfig cfg, long now) {
        advance(now);
        int t = 0;
        int f = 0;
        long oldest = now / width(cfg) - BUCKETS + 1;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketId[i] >= oldest) {
                t += total[i];
                f += failed[i];
            }
        }
        return new View(state, t, f, consecutive, Math.round(ttfbEwma), successes, failures, opened,
                state == State.OPEN ? openedAt + openFor - now : 0);
    }

    /** @param openMillisLeft how long an open breaker still skips its target */
    public record View(State state, int windowAttempts, int windowFailures, int consecutiveFailures, long ttfbMillis,
                       long successes, long failures, long timesOpened, long openMillisLeft) {
    }

    private boolean trips(HealthConfig cfg, long now) {
        if (consecutive >= cfg.consecutiveFailures()) {
            return true;
        }
        int t = 0;
        int f = 0;
        long oldest = now / width(cfg) - BUCKETS + 1;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketId[i] >= oldest) {
                t += total[i];
                f += failed[i];
            }
        }
        return t >= cfg.minRequests() && f >= cfg.failureRate() * t;
    }

    private void open(long now, long millis) {
        state = State.OPEN;
        openedAt = now;
        openFor = millis;
        opened++;
    }

    private void close(HealthConfig cfg) {
        state = State.CLOSED;
        openFor = cfg.openFor().toMillis();
        consecutive = 0;
        java.util.Arrays.fill(total, 0);
        java.util.Arrays.fill(failed, 0);
    }

    /**
     * Moves an open breaker to half-open once its period is over. The times are the wall clock's: one stepped back
     * (NTP, a VM resumed) would have kept the breaker open, or its probe slot taken, for as long as the step, an hour's
     * step an hour's outage of a healthy upstream (attack round 34); a period or probe slot that starts after now is
     * taken to start now, so a step back costs at most one open period.
     */
    private void advance(long now) {
        if (openedAt > now) {
            openedAt = now;
        }
        if (probeTakenAt > now) {
            nextProbeAt = now + (nextProbeAt - probeTakenAt);
            probeTakenAt = now;
        }
        if (state == State.OPEN && now >= openedAt + openFor) {
            state = State.HALF_OPEN;
            nextProbeAt = now;
        }
    }

    /** The bucket for {@code now}, cleared first if it last held an older period. */
    private int bucket(HealthConfig cfg, long now) {
        long id = now / width(cfg);
        int b = (int) Math.floorMod(id, (long) BUCKETS);
        if (bucketId[b] != id) {
            bucketId[b] = id;
            total[b] = 0;
            failed[b] = 0;
        }
        return b;
    }

    private static long width(HealthConfig cfg) {
        return Math.max(10, cfg.window().toMillis() / BUCKETS);
    }
}
