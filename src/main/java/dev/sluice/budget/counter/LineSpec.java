package dev.sluice.budget.counter;

/**
 * One line as a reserve or settle call sees it.
 *
 * @param key          the counter's key, including the tenant hash tag
 * @param cap          admission line in the line's units; negative for a line that never refuses
 * @param estimate     this request's calibrated reservation ({@code e})
 * @param worst        this request's worst case ({@code w ≥ e})
 * @param bucketMillis for a rolling window, the bucket size; 0 for a calendar period
 * @param buckets      for a rolling window, how many buckets make the window
 * @param ttlMillis    how long the counter is kept after its last write (past the end of its period)
 * @param group        lines with the same group are alternatives, tried in order (a pool member's share, then the
 *                     overflow); the first that admits is charged
 */
public record LineSpec(String key, long cap, long estimate, long worst, long bucketMillis, int buckets, long ttlMillis,
                       int group) {
    public LineSpec {
        if (estimate < 0 || worst < estimate) {
            throw new IllegalArgumentException("estimate " + estimate + ", worst " + worst + " (expected: 0 <= estimate <= worst)");
        }
    }

    public boolean rolling() {
        return bucketMillis > 0;
    }

    public LineSpec withAmounts(long e, long w) {
        return new LineSpec(key, cap, e, w, bucketMillis, buckets, ttlMillis, group);
    }
}
