package dev.sluice.budget.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Metric;
import dev.sluice.budget.rules.Period;
import dev.sluice.wire.Usage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast's daily history files spend under the budgets' local days in a zone half an hour off UTC too: hourly
 * sums put 23:45 and 00:15 in India (18:15 and 18:45 UTC, one UTC hour) on the same day.
 */
class LedgerHistoryTest {
    @TempDir
    Path dir;

    @Test
    void spendEitherSideOfMidnightInIndiaLandsOnItsOwnDay() {
        ZoneId india = ZoneId.of("Asia/Kolkata");
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(Instant.parse("2026-12-01T18:15:00Z"), "k1", null, null, "org", Map.of(), Usage.of(10, 1), 7_000);
            ledger.add(Instant.parse("2026-12-01T18:45:00Z"), "k1", null, null, "org", Map.of(), Usage.of(10, 1), 5_000);
            ledger.flush();
            BudgetRule rule = new BudgetRule("each-key", Level.KEY, BudgetRule.EACH, null, List.of(),
                    new Period.Calendar(Period.Unit.MONTH, india), List.of(), List.of(), null, null);
            Map<LocalDate, Long> daily = new LedgerHistory(ledger.spend(), india)
                    .daily(rule, "k1", Metric.USD, LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-03"));
            assertThat(daily).containsEntry(LocalDate.parse("2026-12-01"), 7_000L).containsEntry(LocalDate.parse("2026-12-02"), 5_000L);
        }
    }
}
