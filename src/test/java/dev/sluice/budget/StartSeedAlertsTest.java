package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
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
 * The budgets stored before a start (set through the admin API) are seeded as the start's: the thresholds they stand
 * past were alerted before it and are not alerted again; a budget added later that stands past thresholds is (round 23).
 */
class StartSeedAlertsTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Identity ANA = new Identity("key-ana", "laptop", "ana", "pay", "acme", Map.of());

    @Test
    void storedBudgetsAreNotAlertedAgainAtAStartButOnesAddedLaterAre(@TempDir Path dir) {
        TestClock clock = new TestClock(NOW);
        Vertx vertx = Vertx.vertx();
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(NOW.minus(Duration.ofHours(1)), "key-ana", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 950_000_000L);
            ledger.flush();
            try (Budgets budgets = Budgets.start("test", BudgetRules.parse("test", "list: []"), vertx, TestBudgets.PRICING,
                    ledger.db.dataSource(), false, clock)) {
                // the first rules after the start hold the stored admin budget (as EffectiveBudgets composes them)
                BudgetEngine atStart = budgets.engineFor(TestBudgets.rules("list: [{name: stored, level: user, id: ana, usd: 1}]"));
                atStart.reserve(new BudgetRequest("a", 1, ANA, "claude-sonnet-4-6", 10, 100)).await();
                assertThat(budgets.metrics().crossings()).as("alerted before the restart").isZero();

                BudgetEngine later = budgets.engineFor(TestBudgets.rules("""
                        list:
                          - {name: stored, level: user, id: ana, usd: 1}
                          - {name: added, level: user, id: ana, usd: 0.5}
                        """));
                later.reserve(new BudgetRequest("b", 1, ANA, "claude-sonnet-4-6", 10, 100)).await();
                assertThat(budgets.metrics().crossings()).as("75, 90 and 100 of the budget added below the spend").isEqualTo(3);
            }
        } finally {
            vertx.close().await();
        }
    }
}
