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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counters rebuilt from a real SQLite ledger equal what the same spend settled live would have left. */
class CounterRebuildTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final String RULES = """
            list:
              - {name: team-pay, level: team, id: pay, usd: 100, period: monthly, pool: {shares: {ana: 1}, overflow: 99}}
              - {name: team-out, level: team, id: pay, tokens: 1000000, token-kind: output, period: monthly}
              - {name: each-user, level: user, id: "*", usd: 50, period: daily}
              - {name: repo, level: tag, id: "repo=*", usd: 50, period: rolling 7d}
            """;

    @Test
    void a_restart_rebuilds_the_current_period_of_every_budget_and_nothing_older(@TempDir Path dir) {
        TestClock clock = new TestClock(NOW);
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            Usage u = Usage.of(100, 1000);
            ledger.add(NOW.minus(Duration.ofHours(1)), "k1", "ana", "pay", "acme", Map.of("repo", "core"), u, 2_000_000_000L);
            ledger.add(NOW.minus(Duration.ofHours(2)), "k2", "bob", "pay", "acme", Map.of("repo", "core"), u, 500_000_000L);
            ledger.add(NOW.minus(Duration.ofDays(3)), "k1", "ana", "pay", "acme", Map.of("repo", "web"), u, 300_000_000L);
            ledger.add(NOW.minus(Duration.ofDays(8)), "k1", "ana", "pay", "acme", Map.of("repo", "core"), u, 7_000_000_000L); // this month, not this week
            ledger.add(Instant.parse("2026-10-31T23:00:00Z"), "k1", "ana", "pay", "acme", Map.of(), u, 9_000_000_000L); // last month
            ledger.flush();

            BudgetSet rules = TestBudgets.rules(RULES);
            MemoryCounters store = new MemoryCounters();
            int lines = new CounterRebuild(rules.rules(), store, ledger.spend(), clock).rebuildIfNeeded();
            assertThat(lines).isPositive();
            assertThat(new CounterRebuild(rules.rules(), store, ledger.spend(), clock).rebuildIfNeeded()).as("once").isZero();

            BudgetEngine engine = new BudgetEngine(rules, store, TestBudgets.PRICING, OutputEstimator.defaults(), clock, Duration.ofMinutes(5),
                    100, null);
            Identity ana = new Identity("k1", "a", "ana", "pay", "acme", Map.of("repo", "core"));
            List<BudgetStanding> s = engine.status(ana).await();
            // team-pay usd, its pool share, its overflow, team-pay output tokens, each-user (daily), repo=core (rolling)
            assertThat(s).extracting(BudgetStanding::budget)
                    .containsExactly("team-pay", "team-pay", "team-pay", "team-out", "each-user", "repo");
            assertThat(s.get(0).settled()).isEqualTo(9_800_000_000L); // November only: not October's $9
            assertThat(s.get(1).settled()).isEqualTo(1_000_000_000L); // ana's share holds $1 of her $9.30
            assertThat(s.get(2).settled()).isEqualTo(8_800_000_000L); // the rest went to the overflow (ana's $8.30 + bob's $0.50)
            assertThat(s.get(3).settled()).isEqualTo(4000); // output tokens this month
            assertThat(s.get(4).settled()).isEqualTo(2_000_000_000L); // ana today
            assertThat(s.get(5).settled()).isEqualTo(2_500_000_000L); // repo=core in the last 7 days
            // rolling spend leaves the window as its hour passes 7 days: bob's (10:00) is gone, ana's (11:00) not yet
            clock.advance(Duration.ofDays(7).minusMinutes(90));
            assertThat(engine.status(ana).await().get(5).settled()).isEqualTo(2_000_000_000L);
        }
    }
}
