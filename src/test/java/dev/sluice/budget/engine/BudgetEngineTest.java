package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetEngineTest {
    private static final String SONNET = "claude-sonnet-4-6";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final MemoryCounters store = new MemoryCounters();
    private final List<Crossing> alerts = new ArrayList<>();

    private BudgetEngine engine(String yaml) {
        return TestBudgets.engine(yaml, store, clock, alerts::add);
    }

    private static BudgetRequest req(String id, Identity who, String model, long in, long max) {
        return new BudgetRequest(id, 1, who, model, in, max);
    }

    /** Reserve, then settle with the given usage; returns the admission. */
    private Admission spend(BudgetEngine e, String id, Identity who, String model, long in, long out) {
        Admission a = e.reserve(req(id, who, model, in, 8000)).await();
        if (a.admitted()) {
            e.settle(a.reservation(), Usage.of(in, out), TestBudgets.PRICING.nanoUsd(a.model(), Usage.of(in, out))).await();
        }
        return a;
    }

    @Test
    void no_budget_means_no_reservation_and_no_headers() {
        BudgetEngine e = engine("list: []");
        Admission a = e.reserve(req("r", TestBudgets.who("ana", "pay", "acme"), SONNET, 100, 1000)).await();
        assertThat(a.admitted()).isTrue();
        assertThat(a.reservation().empty()).isTrue();
        assertThat(a.headers()).isEmpty();
    }

    @Test
    void the_tightest_budget_decides_and_a_team_block_is_a_group_pool() {
        BudgetEngine e = engine("""
                contact: the platform team
                list:
                  - {name: team-pay, level: team, id: pay, usd: 1, period: monthly, owner: {contact: "#pay-eng"}}
                  - {name: each-user, level: user, id: "*", usd: 100, period: monthly}
                """);
        Identity ana = TestBudgets.who("ana", "pay", "acme");
        // $0.75 of the team's $1: 1000 in + 49,800 out on sonnet = 0.003 + 0.747
        spend(e, "a", ana, SONNET, 1000, 49_800);
        Admission warned = e.reserve(req("b", ana, SONNET, 10, 100)).await();
        assertThat(warned.standing().budget()).isEqualTo("team-pay");
        assertThat(warned.headers()).containsEntry("anthropic-ratelimit-unified-status", "allowed_warning")
                .containsEntry("anthropic-ratelimit-unified-overage-surpassed-threshold", "0.75")
                .containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.75")
                .containsEntry("anthropic-ratelimit-unified-overage-scope", "group_pool")
                .containsEntry("x-sluice-budget", "team-pay (team pay): $0.75 of $1.00 monthly used (75%), resets 2026-12-01T00:00:00Z");
        e.settle(warned.reservation(), Usage.of(10, 20_000), TestBudgets.PRICING.nanoUsd(SONNET, Usage.of(10, 20_000))).await();
        Admission blocked = e.reserve(req("c", ana, SONNET, 10, 100)).await();
        assertThat(blocked.admitted()).isFalse();
        BlockNotice n = blocked.block();
        assertThat(n.errorType()).isEqualTo("billing_error");
        assertThat(n.groupPool()).isTrue();
        assertThat(n.resetsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(n.message()).isEqualTo("spend limit reached for team pay (monthly $1.00) · resets Dec 1 · ask #pay-eng for an increase");
        ApiError err = n.toApiError();
        assertThat(err.status()).isEqualTo(429);
        assertThat(err.shouldRetry()).isFalse();
        assertThat(err.headers()).containsEntry("anthropic-ratelimit-unified-status", "rejected")
                .containsEntry("anthropic-ratelimit-unified-overage-disabled-reason", "org_spend_cap_reached")
                .containsEntry("anthropic-ratelimit-unified-overage-period", "monthly")
                .containsEntry("anthropic-ratelimit-unified-overage-scope", "group_pool")
                .containsEntry("retry-after", Long.toString(Duration.between(clock.instant(), n.resetsAt()).toSeconds()))
                .doesNotContainKey("anthropic-ratelimit-unified-representative-claim");
        assertThat(alerts).extracting(c -> c.threshold().percent()).containsExactly(75, 90, 100);
    }

    @Test
    void a_developer_alone_near_the_line_is_not_refused_for_output_they_will_not_use() {
        BudgetEngine e = engine("list: [{name: mine, level: user, id: ana, usd: 1}]");
        Identity ana = TestBudgets.who("ana", null, null);
        spend(e, "a", ana, SONNET, 1000, 65_000); // $0.978
        // the worst case of the next request (32k output = $0.48) would cross the line; with nothing else in flight it is admitted
        Admission a = e.reserve(req("b", ana, SONNET, 1000, 32_000)).await();
        assertThat(a.admitted()).isTrue();
        assertThat(a.block()).isNull();
        // a second one while the first is in flight could together cross the line: refused for now, retryable
        Admission b = e.reserve(req("c", ana, SONNET, 1000, 32_000)).await();
        assertThat(b.admitted()).isFalse();
        assertThat(b.block().kind()).isEqualTo(BlockNotice.Kind.IN_FLIGHT);
        assertThat(b.block().toApiError().type()).isEqualTo("rate_limit_error");
        assertThat(b.block().toApiError().shouldRetry()).isTrue();
        assertThat(b.block().headers()).containsExactly(java.util.Map.entry("retry-after", "2")); // no unified "rejected"
        e.settle(a.reservation(), Usage.of(1000, 500), TestBudgets.PRICING.nanoUsd(SONNET, Usage.of(1000, 500))).await();
        assertThat(e.reserve(req("c", ana, SONNET, 1000, 32_000)).await().admitted()).isTrue();
    }

    @Test
    void far_from_the_line_only_the_calibrated_estimate_is_reserved() {
        BudgetEngine e = engine("list: [{name: big, level: user, id: ana, usd: 1000}]");
        Identity ana = TestBudgets.who("ana", null, null);
        for (int i = 0; i < 30; i++) {
            spend(e, "warm" + i, ana, SONNET, 1000, 300); // teaches the estimator: ~300 output tokens
        }
        Admission a = e.reserve(req("x", ana, SONNET, 1000, 64_000)).await();
        long reserved = a.standing().reserved();
        assertThat(reserved).isLessThan(TestBudgets.PRICING.estimate(SONNET, 1000, 1000));
        assertThat(reserved).isGreaterThan(TestBudgets.PRICING.estimate(SONNET, 1000, 255));
    }

    @Test
    void a_degrade_threshold_serves_the_next_cheaper_model() {
        BudgetEngine e = engine("""
                degrade: [claude-opus-4-6, claude-sonnet-4-6, claude-haiku-4-5-20251001]
                list:
                  - name: ana
                    level: user
                    id: ana
                    usd: 10
                    thresholds: [{at: 50, action: degrade}, {at: 80, action: degrade}, {at: 100, action: block}]
                """);
        Identity ana = TestBudgets.who("ana", null, null);
        Admission first = spend(e, "a", ana, "claude-opus-4-6", 10_000, 200_000); // $5.05
        assertThat(first.degraded()).isFalse();
        Admission second = e.reserve(req("b", ana, "claude-opus-4-6", 1000, 1000)).await();
        assertThat(second.model()).isEqualTo(SONNET);
        assertThat(second.degradedFrom()).isEqualTo("claude-opus-4-6");
        assertThat(second.headers()).containsEntry("x-sluice-degraded-from", "claude-opus-4-6");
        e.settle(second.reservation(), Usage.of(1000, 200_000), TestBudgets.PRICING.nanoUsd(SONNET, Usage.of(1000, 200_000))).await();
        Admission third = e.reserve(req("c", ana, "claude-opus-4-6", 1000, 1000)).await();
        assertThat(third.model()).isEqualTo("claude-haiku-4-5-20251001");
        // already the cheapest: no further change
        Admission haiku = e.reserve(req("d", ana, "claude-haiku-4-5-20251001", 1000, 1000)).await();
        assertThat(haiku.degraded()).isFalse();
        assertThat(e.metrics().degraded()).isEqualTo(2);
    }

    @Test
    void a_degrade_never_moves_to_a_dearer_model_and_follows_the_chain_of_the_budget_that_fired() {
        BudgetEngine e = engine("""
                degrade: [claude-opus-4-6, claude-sonnet-4-6, claude-haiku-4-5-20251001]
                list:
                  - {name: team, level: team, id: pay, usd: 1000, thresholds: [{at: 75, action: degrade}]}
                  - name: bob
                    level: user
                    id: bob
                    usd: 10
                    thresholds: [{at: 1, action: degrade}, {at: 100, action: block}]
                    degrade: [claude-opus-5-5, claude-haiku-4-5-20251001]
                """);
        Identity bob = TestBudgets.who("bob", "pay", null);
        spend(e, "a", bob, "claude-haiku-4-5-20251001", 10_000, 40_000); // past bob's 1%, far from the team's 75%
        // Sonnet 4.5 costs less than Opus 5.5 at any ordinary size (its long-context rate starts at 200k input tokens),
        // and bob's own chain, not the team's (which would say Sonnet 4.6), is the one followed: Haiku.
        Admission a = e.reserve(req("b", bob, "claude-sonnet-4-5-20250929", 1000, 1000)).await();
        assertThat(a.model()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(a.degradedFrom()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void a_large_request_on_a_small_fresh_budget_is_not_degraded_by_its_own_reservation() {
        BudgetEngine e = engine("""
                degrade: [claude-opus-4-6, claude-sonnet-4-6, claude-haiku-4-5-20251001]
                list:
                  - name: ana
                    level: user
                    id: ana
                    usd: 3
                    period: daily
                    thresholds: [{at: 75, action: degrade}, {at: 100, action: block}]
                """);
        Identity ana = TestBudgets.who("ana", null, null);
        // A Claude Code turn: 30k tokens in, up to 128k out; at Opus prices its reservation is most of $3, but ana has
        // spent nothing: she gets the model she asked for.
        Admission a = e.reserve(req("a", ana, "claude-opus-4-6", 30_000, 128_000)).await();
        assertThat(a.admitted()).isTrue();
        assertThat(a.degraded()).isFalse();
        assertThat(a.model()).isEqualTo("claude-opus-4-6");
    }

    @Test
    void token_budgets_count_tokens_of_their_kind() {
        BudgetEngine e = engine("list: [{name: out, level: key, id: key-ana, tokens: 1000, token-kind: output, period: daily}]");
        Identity ana = TestBudgets.who("ana", null, null);
        spend(e, "a", ana, SONNET, 50_000, 999);
        assertThat(e.status(ana).await().getFirst().settled()).isEqualTo(999);
        spend(e, "b", ana, SONNET, 10, 1);
        Admission blocked = e.reserve(req("c", ana, SONNET, 10, 10)).await();
        assertThat(blocked.block().message()).startsWith("token limit reached for this key (daily 1,000 output tokens) · resets Nov 21 00:00");
        clock.advance(Duration.ofDays(1));
        assertThat(e.reserve(req("d", ana, SONNET, 10, 10)).await().admitted()).isTrue();
    }

    @Test
    void tag_budgets_span_every_key_carrying_the_tag() {
        BudgetEngine e = engine("list: [{name: copilot, level: tag, id: feature=copilot, usd: 1, period: rolling 7d}]");
        Identity k1 = new Identity("k1", "a", "ana", null, null, Map.of("feature", "copilot"));
        Identity k2 = new Identity("k2", "b", "bob", null, null, Map.of("feature", "copilot"));
        Identity other = new Identity("k3", "c", "cy", null, null, Map.of("feature", "search"));
        spend(e, "a", k1, SONNET, 1000, 66_000);
        spend(e, "b", k2, SONNET, 1000, 1000);
        Admission blocked = e.reserve(req("c", k2, SONNET, 10, 10)).await();
        assertThat(blocked.block().kind()).isEqualTo(BlockNotice.Kind.EXHAUSTED);
        assertThat(blocked.block().groupPool()).isTrue();
        assertThat(blocked.block().headers()).containsEntry("anthropic-ratelimit-unified-overage-period", "rolling");
        assertThat(e.reserve(req("d", other, SONNET, 10, 10)).await().admitted()).isTrue();
        clock.advance(Duration.ofDays(7));
        assertThat(e.reserve(req("e", k1, SONNET, 10, 10)).await().admitted()).isTrue();
    }

    @Test
    void retried_settles_and_releases_count_once() {
        BudgetEngine e = engine("list: [{name: mine, level: user, id: ana, usd: 5}]");
        Identity ana = TestBudgets.who("ana", null, null);
        Admission a = e.reserve(req("a", ana, SONNET, 1000, 1000)).await();
        long cost = TestBudgets.PRICING.nanoUsd(SONNET, Usage.of(1000, 400));
        e.settle(a.reservation(), Usage.of(1000, 400), cost).await();
        e.settle(a.reservation(), Usage.of(1000, 400), cost).await();
        e.release(a.reservation()).await();
        BudgetStanding s = e.status(ana).await().getFirst();
        assertThat(s.settled()).isEqualTo(cost);
        assertThat(s.reserved()).isZero();
        assertThat(e.metrics().duplicateSettles()).isEqualTo(2);
    }
}
