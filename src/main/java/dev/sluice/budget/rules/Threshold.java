package dev.sluice.budget.rules;

/**
 * A line at {@code percent} of a budget's amount and what happens past it.
 *
 * @param percent 1..1000 (above 100 lets a budget run over before it blocks)
 * @param action  alert, degrade or block
 */
public record Threshold(int percent, Action action) {
    /** The line in the budget's units, rounded up so a tiny budget still has a non-zero line; saturates, never wraps. */
    public long lineOf(long amount) {
        long whole = amount / 100;
        long rest = amount % 100;
        try {
            return Math.addExact(Math.multiplyExact(whole, percent), Math.ceilDiv(rest * percent, 100));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
