package dev.sluice.budget.alert;

import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Metric;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Daily history from the ledger: quarter-hour sums (one indexed range query) folded into days of the budgets' zone; hours
 * would straddle two local days in a zone half an hour off UTC.
 */
public final class LedgerHistory implements HistorySource {
    private final LedgerSpend spend;
    private final ZoneId zone;

    public LedgerHistory(LedgerSpend spend, ZoneId zone) {
        this.spend = spend;
        this.zone = zone;
    }

    @Override
    public Map<LocalDate, Long> daily(BudgetRule rule, String entity, Metric metric, LocalDate from, LocalDate toExclusive) {
        Instant since = from.atStartOfDay(zone).toInstant();
        Instant until = toExclusive.atStartOfDay(zone).toInstant();
        Map<LocalDate, Long> out = new HashMap<>();
        for (LedgerSpend.Row r : spend.sums(rule.level(), rule.tagName(), entity, since, until, LedgerSpend.QUARTER_HOUR_MS)) {
            LocalDate day = Instant.ofEpochMilli(r.bucket() * LedgerSpend.QUARTER_HOUR_MS).atZone(zone).toLocalDate();
            out.merge(day, r.of(metric), Long::sum);
        }
        return out;
    }
}
