package dev.sluice.signin.usage;

import dev.sluice.pipeline.Identity;

/**
 * Where a caller's standing comes from: the budgets engine. Answers from memory, never blocks.
 *
 * <p>The seam the budgets engine implements: {@link #standing} for the cap the usage headers describe
 * (the fullest cap that applies, or once blocked the one that resets last; null when no cap applies,
 * and then no usage headers are sent at all, as the protocol asks); {@link #spend} for a caller
 * without a cap, whose {@code /api/oauth/usage} shows this month's, day's and week's spend.
 */
@FunctionalInterface
public interface StandingSource {
    StandingSource NONE = who -> null;

    UsageStanding standing(Identity who);

    /** Spend for the current UTC month, day and week from Monday, or null when unknown (the usage endpoint then answers 404). */
    default UsageDocument.Uncapped spend(Identity who) {
        return null;
    }
}
