package dev.sluice.budget.counter;

/**
 * A line's numbers after a call.
 *
 * @param settled      {@code s}
 * @param reserved     {@code r}
 * @param slack        {@code d}
 * @param charged      true when this request was charged to this line (false for an alternative not taken)
 * @param resetsAtMillis for a rolling window, when the oldest counted spend leaves it (0 when nothing is counted or
 *                     for a calendar period)
 */
public record LineState(long settled, long reserved, long slack, boolean charged, long resetsAtMillis) {
    /** Worst case if everything in flight used its full bound. */
    public long exposure() {
        return settled + reserved + slack;
    }
}
