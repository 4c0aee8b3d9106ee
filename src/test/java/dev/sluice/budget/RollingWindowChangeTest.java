package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling window changed between two lengths that are no whole number of hours (90 to 100 minutes) counts on new
 * counters, which must start from what the new window already spent, as any changed budget's do (fix round 35: both
 * lengths shared the counting identity "rolling 1h", so the new counters were never seeded and started at zero).
 */
class RollingWindowChangeTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Identity ANA = new Identity("key-ana", "laptop", "ana", "pay", "acme", Map.of());
    private static final String RULE = "list: [{name: w, level: user, id: ana, usd: 10, period: rolling %dm}]";

    @Test
    void aWindowChangedFrom90To100MinutesStartsFromTheLedgerAndAnUnchangedOneIsNotSeededAgain(@TempDir Path dir) {
        TestClock clock = new TestClock(NOW);
        Vertx vertx = Vertx.vertx();
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(NOW.minus(Duration.ofMinutes(30)), "key-ana", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 400_000_000L);
            ledger.flush();
            try (Budgets budgets = Budgets.start("test", BudgetRules.parse("test", RULE.formatted(90)), vertx, TestBudgets.PRICING,
                    ledger.db.dataSource(), false, clock)) {
                BudgetEngine w90 = budgets.engineFor(TestBudgets.rules(RULE.formatted(90)));
                assertThat(w90.status(ANA).await().getFirst().settled()).as("rebuilt at the start").isEqualTo(400_000_000L);

                BudgetEngine w100 = budgets.engineFor(TestBudgets.rules(RULE.formatted(100)));
                assertThat(w100.status(ANA).await().getFirst().settled()).as("the 100-minute window, seeded").isEqualTo(400_000_000L);

                BudgetEngine again = budgets.engineFor(TestBudgets.rules(RULE.formatted(100)));
                assertThat(again.status(ANA).await().getFirst().settled()).as("unchanged: not seeded twice").isEqualTo(400_000_000L);
                BudgetEngine hours = budgets.engineFor(TestBudgets.rules(RULE.formatted(120)));
                assertThat(hours.status(ANA).await().getFirst().settled()).as("to whole hours, as before").isEqualTo(400_000_000L);
            }
        } finally {
            vertx.close().await();
        }
    }
}
