package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attack round 34 (time): the standings kept for sign-in's headers and routing are re-read once a second, also after
 * the wall clock stepped back.
 */
class StandingsClockTest {
    @Test
    void a_standing_read_before_the_clock_stepped_back_is_read_again() {
        TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
        BudgetEngine engine = TestBudgets.engine("""
                list: [{name: pay, level: team, id: pay, usd: 10, period: daily}]
                """, new MemoryCounters(), clock, null);
        BudgetStandings standings = new BudgetStandings(() -> engine, clock);
        Identity ana = TestBudgets.who("ana", "pay", "acme");
        Identity bob = TestBudgets.who("bob", "pay", "acme");
        assertThat(settled(standings, ana)).isZero(); // the first read
        assertThat(settled(standings, ana)).isZero();

        clock.advance(Duration.ofHours(-1)); // NTP: the clock ran an hour fast
        Admission a = engine.reserve(new BudgetRequest("b1", 1, bob, "claude-haiku-4-5-20251001", 0, 1000)).await();
        engine.settle(a.reservation(), Usage.of(0, 100_000), 4_000_000_000L).await(); // bob spends the team's $4
        clock.advance(Duration.ofSeconds(2));
        settled(standings, ana); // stale: read again (completes at once on memory counters)
        assertThat(settled(standings, ana)).as("ana sees the team's spend a second later, not an hour later").isEqualTo(4_000_000_000L);
    }

    private static long settled(BudgetStandings standings, Identity who) {
        List<BudgetStanding> s = standings.current(who);
        return s.isEmpty() ? 0 : s.getFirst().settled();
    }
}
