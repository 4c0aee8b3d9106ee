package dev.sluice.signin.usage;

import dev.sluice.pipeline.Identity;

/**
 * Where a caller's standing comes from: the budgets engine. Answers from memory, never blocks; null
 * when no cap applies (then no usage headers are sent at all, as the protocol asks).
 */
@FunctionalInterface
public interface StandingSource {
    StandingSource NONE = who -> null;

    UsageStanding standing(Identity who);
}
