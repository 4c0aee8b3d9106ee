package dev.sluice.budget.counter;

/**
 * One line's numbers in memory. Not thread-safe: {@link MemoryCounters} guards every line with one lock.
 * A rolling line keeps its settled spend in a ring of buckets; {@code s} is always their sum.
 */
final class Line {
    long s;
    long r;
    long d;
    long expiresAt;
    private long[] ring;
    private long lo = Long.MIN_VALUE;

    /** Drops buckets that have left the window at {@code now}. */
    void roll(LineSpec spec, long now) {
        if (!spec.rolling()) {
            return;
        }
        int n = spec.buckets();
        if (ring == null || ring.length != n) {
            ring = new long[n];
        }
        long cur = Math.floorDiv(now, spec.bucketMillis());
        long newLo = cur - n + 1;
        if (lo == Long.MIN_VALUE) {
            lo = newLo;
            return;
        }
        for (long b = lo; b < newLo && b < lo + n; b++) {
            int i = (int) Math.floorMod(b, (long) n);
            s -= ring[i];
            ring[i] = 0;
        }
        lo = Math.max(lo, newLo);
    }

    void add(LineSpec spec, long now, long amount) {
        s += amount;
        if (spec.rolling()) {
            long b = Math.floorDiv(now, spec.bucketMillis());
            ring[(int) Math.floorMod(b, (long) spec.buckets())] += amount;
        }
    }

    /** Adds rebuilt spend to bucket {@code index} (ignored when the bucket is already outside the window). */
    void seed(LineSpec spec, long index, long amount) {
        if (!spec.rolling()) {
            s += amount;
            return;
        }
        if (index >= lo && index < lo + spec.buckets()) {
            s += amount;
            ring[(int) Math.floorMod(index, (long) spec.buckets())] += amount;
        }
    }

    /** When the oldest counted spend leaves the window, or 0. */
    long resetsAt(LineSpec spec) {
        if (!spec.rolling() || s == 0) {
            return 0;
        }
        int n = spec.buckets();
        for (long b = lo; b < lo + n; b++) {
            if (ring[(int) Math.floorMod(b, (long) n)] != 0) {
                return (b + n) * spec.bucketMillis();
            }
        }
        return 0;
    }

    LineState state(LineSpec spec, boolean charged) {
        return new LineState(s, r, d, charged, resetsAt(spec));
    }
}
