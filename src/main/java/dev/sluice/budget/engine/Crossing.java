package dev.sluice.budget.engine;

import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Metric;
import dev.sluice.budget.rules.Period;
import dev.sluice.budget.rules.Threshold;
import java.time.Instant;

/**
 * A budget's settled spend crossed a threshold. Raised once per budget, entity, period and threshold across every
 * replica (the counter store's claim decides which replica reports it).
 *
 * @param rule      the budget
 * @param entity    whom it covers
 * @param tenant    the counters' tenant (the org)
 * @param threshold the threshold crossed
 * @param metric    the limit's metric
 * @param amount    the 100% mark
 * @param settled   settled spend after the crossing request
 * @param window    the period
 * @param at        when
 */
public record Crossing(BudgetRule rule, String entity, String tenant, Threshold threshold, Metric metric, long amount, long settled,
                       Period.Window window, Instant at) {
    public double percent() {
        return amount <= 0 ? 100.0 : 100.0 * settled / amount;
    }
}
