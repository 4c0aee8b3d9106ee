package dev.sluice.budget;

import dev.sluice.pipeline.Identity;

/**
 * How a caller's budgets stand, for routing rules that route on it (send a developer near their line to a cheaper
 * target). Answers from memory on the event loop, never blocks: the figures are those of the caller's last request
 * or status read, refreshed in the background at most every second, so a rule may act on standings up to a second
 * old. The budget stage still decides admission on the live counters.
 *
 * <p>For the route stage's {@code BudgetSignal}: {@code ex -> BudgetSignal.Level.valueOf(state.level(ex.identity()).name())}.
 */
@FunctionalInterface
public interface BudgetState {
    BudgetState NONE = who -> Level.OK;

    /** Where a caller stands across every budget that applies to them. */
    enum Level {
        /** No threshold passed. */
        OK,
        /** An alert or degrade threshold passed on some budget. */
        WARNING,
        /** Some budget has reached its block threshold: requests are refused until it resets. */
        EXHAUSTED
    }

    Level level(Identity who);
}
