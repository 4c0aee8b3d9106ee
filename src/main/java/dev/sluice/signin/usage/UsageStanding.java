package dev.sluice.signin.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * The renderer's whole input: where one caller stands against the cap that the headers describe.
 * The budgets engine computes it (which cap, when several apply: the fullest, or once blocked the one
 * that resets last); this package only renders it in Claude Code's vocabulary.
 *
 * @param spentNanoUsd spend in the cap's current period, nano-USD
 * @param limitNanoUsd the cap, nano-USD (positive)
 * @param period       the cap's period
 * @param resetsAt     when the period ends (the same instant goes into headers and {@code /api/oauth/usage})
 * @param scope        whose budget it is: the user's own cap, or a pool their group shares
 * @param fetchError   the counter could not be read: fail closed (the other fields are ignored)
 */
public record UsageStanding(long spentNanoUsd, long limitNanoUsd, Period period, Instant resetsAt, Scope scope,
                            boolean fetchError) {
    public UsageStanding {
        if (!fetchError) {
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(resetsAt, "resetsAt");
            Objects.requireNonNull(scope, "scope");
            if (limitNanoUsd <= 0) {
                throw new IllegalArgumentException("limitNanoUsd: " + limitNanoUsd + " (expected: > 0)");
            }
        }
    }

    public static UsageStanding of(long spentNanoUsd, long limitNanoUsd, Period period, Instant resetsAt, Scope scope) {
        return new UsageStanding(spentNanoUsd, limitNanoUsd, period, resetsAt, scope, false);
    }

    /** The counter could not be read; the caller chose to fail closed. */
    public static UsageStanding unreadable() {
        return new UsageStanding(0, 1, null, null, null, true);
    }

    public boolean reached() {
        return fetchError || spentNanoUsd >= limitNanoUsd;
    }

    /** Fraction of the cap used (may pass 1 once over). */
    public double utilization() {
        return (double) spentNanoUsd / limitNanoUsd;
    }

    /** Calendar budget periods; the header value is the lower-case name. */
    public enum Period { DAILY, WEEKLY, MONTHLY }

    /** Whose budget: the developer's own, or one their whole group shares ({@code group_pool}). */
    public enum Scope { USER, GROUP_POOL }
}
