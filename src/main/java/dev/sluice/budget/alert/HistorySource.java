package dev.sluice.budget.alert;

import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Metric;
import java.time.LocalDate;
import java.util.Map;

/** Daily amounts of a budget's metric for one entity, by day in the budgets' time zone. May block (it reads the ledger). */
@FunctionalInterface
public interface HistorySource {
    HistorySource NONE = (rule, entity, metric, from, to) -> Map.of();

    Map<LocalDate, Long> daily(BudgetRule rule, String entity, Metric metric, LocalDate from, LocalDate toExclusive);
}
