package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.rules.PoolRule;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The written pool rules (see {@link PoolRule}), one test each. */
class PoolTest {
    private static final String HAIKU = "claude-haiku-4-5-20251001"; // $1 in, $5 out per million
    private static final String POOL = """
            list:
              - name: pay
                level: team
                id: pay
                usd: 10
                period: monthly
                pool: {shares: {ana: 2, bob: 2}, overflow: 4, rebalance-at: 50}
            """;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-01T00:00:00Z"));
    private final MemoryCounters store = new MemoryCounters();
    private final BudgetEngine engine = TestBudgets.engine(POOL, store, clock, null);
    private final Identity ana = TestBudgets.who("ana", "pay", "acme");
    private final Identity bob = TestBudgets.who("bob", "pay", "acme");
    private final Identity cy = TestBudgets.who("cy", "pay", "acme");
    private int n;

    /** Spends {@code usd} (as haiku output) in one request; returns the admission. */
    private Admission spend(Identity who, double usd) {
        long out = Math.round(usd / 5 * 1_000_000);
        Admission a = engine.reserve(new BudgetRequest("r" + n++, 1, who, HAIKU, 0, 1000)).await();
        if (a.admitted()) {
            engine.settle(a.reservation(), Usage.of(0, out), TestBudgets.PRICING.nanoUsd(HAIKU, Usage.of(0, out))).await();
        }
        return a;
    }

    private long line(Identity who, String suffix) {
        var lines = engine.status(who).await(); // the whole budget, the member's share when they have one, the overflow
        return (suffix.equals("total") ? lines.getFirst() : suffix.equals("share") ? lines.get(1) : lines.getLast()).settled();
    }

    @Test
    void a_member_draws_on_their_share_first_then_on_the_overflow() {
        spend(ana, 1.99);
        assertThat(line(ana, "share")).isEqualTo(1_990_000_000L);
        spend(ana, 0.5); // share not yet full: charged to the share (its exposure was under the share)
        spend(ana, 0.5); // share now past its line: charged to the overflow
        assertThat(line(ana, "overflow")).isEqualTo(500_000_000L);
        assertThat(line(bob, "share")).isZero();
    }

    @Test
    void a_member_without_a_share_draws_only_on_the_overflow_and_is_refused_as_a_group_pool() {
        spend(cy, 4.0);
        Admission refused = spend(cy, 0.01);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.block().groupPool()).isTrue();
        assertThat(refused.block().standing().amount()).isEqualTo(4_000_000_000L);
        // ana still has her own share
        assertThat(spend(ana, 1.0).admitted()).isTrue();
    }

    @Test
    void the_whole_budget_binds_even_when_shares_have_room() {
        Admission big = spend(ana, 9.99); // share admits (exposure under share); the total line allows it once
        assertThat(big.admitted()).isTrue();
        assertThat(spend(bob, 0.01).admitted()).isTrue(); // total 10.00 after this: at the line
        Admission refused = spend(bob, 0.01);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.block().standing().budget()).isEqualTo("pay");
    }

    /** A rebalance is remembered for its window only: a year of monthly windows leaves the current one. */
    @Test
    void rebalances_of_ended_windows_are_forgotten() throws InterruptedException {
        for (int month = 0; month < 12; month++) {
            clock.advance(Duration.ofDays(20)); // past 50% of the month
            spend(bob, 0.01); // starts this month's rebalance
            for (int i = 0; i < 100 && engine.pools().held() < 2; i++) {
                Thread.sleep(10); // the rebalance is stored in the background; wait for its adoption (no timing asserted)
                spend(bob, 0.0);
            }
            clock.advance(Duration.ofDays(12)); // into the next month
        }
        spend(bob, 0.01);
        assertThat(engine.pools().held()).isLessThanOrEqualTo(2);
    }

    @Test
    void rebalance_moves_unused_shares_into_the_overflow_once() {
        clock.advance(Duration.ofDays(10));
        spend(ana, 0.4); // a third of the month gone at rebalance time: ana projects 0.4 / 0.5 = 0.8 of her 2
        clock.advance(Duration.ofDays(5).plusHours(1)); // past 50% of November
        spend(bob, 0.01); // sees the point, starts the rebalance in the background
        Admission later = engine.reserve(new BudgetRequest("after", 1, bob, HAIKU, 0, 10)).await();
        assertThat(later.admitted()).isTrue();
        engine.release(later.reservation()).await();
        // kept = max(spent, min(share, spent / elapsed)); elapsed ≈ 0.5
        assertThat(PoolRule.keptShare(2_000_000_000L, 400_000_000L, 0.5)).isEqualTo(800_000_000L);
        var shares = store.readMap("acme", "pool:pay:pay:2026-11").await();
        assertThat(shares.get("ana")).isBetween(780_000_000L, 800_000_000L);
        assertThat(shares.get("bob")).isZero(); // bob had spent nothing when the rebalance read the shares
        assertThat(shares.get("~overflow")).isEqualTo(4_000_000_000L + (2_000_000_000L - shares.get("ana")) + (2_000_000_000L - shares.get("bob")));
        // bob's share is now tiny: his next dollar comes from the enlarged overflow
        spend(bob, 1.0);
        assertThat(line(bob, "overflow")).isEqualTo(1_000_000_000L);
    }

    @Test
    void kept_share_is_never_below_spend_nor_above_the_share() {
        assertThat(PoolRule.keptShare(100, 120, 0.5)).isEqualTo(100);
        assertThat(PoolRule.keptShare(100, 10, 0.5)).isEqualTo(20);
        assertThat(PoolRule.keptShare(100, 80, 0.5)).isEqualTo(100);
        assertThat(PoolRule.keptShare(100, 0, 0.5)).isZero();
    }
}
