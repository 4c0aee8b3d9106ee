package dev.sluice.route;

import dev.sluice.pipeline.Exchange;

/**
 * How the caller's budget stands, for rules that route on it ({@code when: {budget: [warning]}} sends
 * a caller near its cap to a cheaper target). The budgets work implements it; until then every
 * caller is {@link Level#OK}. Called at most once per request, on the event loop: it must not block.
 */
@FunctionalInterface
public interface BudgetSignal {
    /** The standing of a caller's budget. */
    enum Level { OK, WARNING, EXHAUSTED }

    BudgetSignal ALWAYS_OK = ex -> Level.OK;

    Level level(Exchange ex);
}
