package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budget that stands past a threshold no settle crossed (set, or lowered, below what was already spent) alerts it
 * once; a restart does not alert again what was reported before it (round 23). Before, only a settle that moved spend
 * over a line alerted, so a budget lowered below a developer's spend refused them with no alert to its owner.
 */
class PassedThresholdsTest {
    private static final String SONNET = "claude-sonnet-4-6";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final MemoryCounters store = new MemoryCounters();
    private final List<Crossing> alerts = new ArrayList<>();
    private final Identity ana = TestBudgets.who("ana", "pay", "acme");

    private void spend(BudgetEngine e, String id, long out) {
        Admission a = e.reserve(new BudgetRequest(id, 1, ana, SONNET, 1000, 8000)).await();
        assertThat(a.admitted()).isTrue();
        e.settle(a.reservation(), Usage.of(1000, out), TestBudgets.PRICING.nanoUsd(SONNET, Usage.of(1000, out))).await();
    }

    @Test
    void a_budget_lowered_below_the_spend_alerts_its_passed_thresholds_once_when_it_refuses() {
        BudgetEngine before = TestBudgets.engine("list: [{name: mine, level: user, id: ana, usd: 10}]", store, clock, alerts::add);
        spend(before, "a", 6_000); // $0.093: 1% of $10, no threshold
        assertThat(alerts).isEmpty();
        // the operator lowers the budget to $0.05: the same counters (name, entity, period and metric unchanged)
        BudgetEngine after = TestBudgets.engine("list: [{name: mine, level: user, id: ana, usd: 0.05}]", store, clock, alerts::add);
        Admission refused = after.reserve(new BudgetRequest("b", 1, ana, SONNET, 1000, 8000)).await();
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.block().kind()).isEqualTo(BlockNotice.Kind.EXHAUSTED);
        assertThat(alerts).extracting(c -> c.threshold().percent()).containsExactly(75, 90, 100);
        assertThat(alerts.getLast().settled()).isEqualTo(93_000_000L);
        // refused again, and again by a new engine (a reload): no second alert
        after.reserve(new BudgetRequest("c", 1, ana, SONNET, 1000, 8000)).await();
        TestBudgets.engine("list: [{name: mine, level: user, id: ana, usd: 0.05}]", store, clock, alerts::add)
                .reserve(new BudgetRequest("d", 1, ana, SONNET, 1000, 8000)).await();
        assertThat(alerts).hasSize(3);
    }

    @Test
    void a_crossing_by_a_settle_is_not_reported_again_by_the_next_reservation() {
        BudgetEngine e = TestBudgets.engine("list: [{name: mine, level: user, id: ana, usd: 1}]", store, clock, alerts::add);
        spend(e, "a", 52_000); // $0.783: crosses 75%
        assertThat(alerts).extracting(c -> c.threshold().percent()).containsExactly(75);
        e.reserve(new BudgetRequest("b", 1, ana, SONNET, 10, 100)).await();
        TestBudgets.engine("list: [{name: mine, level: user, id: ana, usd: 1}]", store, clock, alerts::add)
                .reserve(new BudgetRequest("c", 1, ana, SONNET, 10, 100)).await();
        assertThat(alerts).hasSize(1);
    }

    @Test
    void counters_rebuilt_at_a_start_do_not_alert_again_what_was_reported_before_it(@TempDir Path dir) {
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(clock.instant().minus(Duration.ofHours(1)), "key-ana", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000),
                    950_000_000L);
            ledger.flush();
            BudgetSet rules = TestBudgets.rules("list: [{name: mine, level: user, id: ana, usd: 1}]");
            MemoryCounters fresh = new MemoryCounters(); // a restart: the claims of the alerts sent were lost with the counters
            new CounterRebuild(rules.rules(), fresh, ledger.spend(), clock).rebuildIfNeeded();
            BudgetEngine e = new BudgetEngine(rules, fresh, TestBudgets.PRICING, OutputEstimator.defaults(), clock, Duration.ofMinutes(5),
                    100, alerts::add);
            e.reserve(new BudgetRequest("a", 1, ana, SONNET, 10, 100)).await();
            assertThat(alerts).isEmpty();
        }
    }
}
