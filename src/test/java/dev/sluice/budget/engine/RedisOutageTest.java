package dev.sluice.budget.engine;

import dev.sluice.budget.Budgets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.ResilientCounters;
import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Usage;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis goes away mid-flight: fail-closed refuses with the fetch_error shape, fail-open counts locally and catches up. */
class RedisOutageTest {
    private static final String MODEL = "claude-sonnet-4-6";
    private final Vertx vertx = Vertx.vertx();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final Identity ana = TestBudgets.who("ana", "pay", "acme");

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /** Leases off: these tests are about the exact path's outage policy (LeasesOnRedisTest covers leases in an outage). */
    private Budgets budgets(RedisServer redis, String policy) {
        String yaml = """
                counters: {store: redis, redis-url: "%s", on-redis-failure: %s, timeout: 300ms, leases: {enabled: false}}
                list: [{name: ana, level: user, id: ana, usd: 10}]
                """.formatted(redis.url(), policy);
        return Budgets.start("test", BudgetRules.parse("test", yaml), vertx, TestBudgets.PRICING, null, false, clock);
    }

    @Test
    void a_gateway_with_a_ledger_starts_while_redis_is_down_and_fail_open_counts_locally(@TempDir Path dir) throws Exception {
        RedisServer redis = RedisServer.start();
        String url = redis.url();
        redis.close(); // nothing listens there now: every call is refused, as when Redis is down at a deploy
        String yaml = """
                counters: {store: redis, redis-url: "%s", on-redis-failure: fail-open, timeout: 300ms, leases: {enabled: false}}
                list: [{name: ana, level: user, id: ana, usd: 10}]
                """.formatted(url);
        try (LedgerFixture ledger = new LedgerFixture(dir);
             Budgets b = Budgets.start("test", BudgetRules.parse("test", yaml), vertx, TestBudgets.PRICING, ledger.db.dataSource(),
                     false, clock)) {
            assertThat(b.engine().reserve(new BudgetRequest("a", 1, ana, MODEL, 10, 10)).await().admitted()).isTrue();
        }
    }

    @Test
    void fail_closed_refuses_with_the_fetch_error_shape_while_redis_is_down() throws Exception {
        RedisServer redis = RedisServer.start();
        try (Budgets b = budgets(redis, "fail-closed")) {
            assertThat(b.engine().reserve(new BudgetRequest("a", 1, ana, MODEL, 10, 10)).await().admitted()).isTrue();
            redis.stop();
            Admission refused = b.engine().reserve(new BudgetRequest("b", 1, ana, MODEL, 10, 10)).await();
            assertThat(refused.admitted()).isFalse();
            BlockNotice n = refused.block();
            assertThat(n.kind()).isEqualTo(BlockNotice.Kind.UNAVAILABLE);
            assertThat(n.toApiError().status()).isEqualTo(429);
            assertThat(n.toApiError().shouldRetry()).isTrue();
            // transient: a rate limit's 429 (retry-after only), not a quota's (Claude Code would show a limit reached)
            assertThat(n.headers()).containsExactly(java.util.Map.entry("retry-after", "5"));
        } finally {
            redis.close();
        }
    }

    @Test
    void fail_open_counts_locally_and_replays_the_local_settles_when_redis_is_back() throws Exception {
        RedisServer redis = RedisServer.start();
        int port = redis.port();
        try (Budgets b = budgets(redis, "fail-open")) {
            BudgetEngine e = b.engine();
            Admission before = e.reserve(new BudgetRequest("a", 1, ana, MODEL, 1000, 1000)).await();
            long cost = TestBudgets.PRICING.nanoUsd(MODEL, Usage.of(1000, 500));
            e.settle(before.reservation(), Usage.of(1000, 500), cost).await();
            assertThat(redis.cli("HGET", "sluice:b:{acme}:l:ana:ana:0:2026-11", "s")).isEqualTo(Long.toString(cost));
            redis.stop();
            Admission during = e.reserve(new BudgetRequest("b", 1, ana, MODEL, 1000, 1000)).await();
            assertThat(during.admitted()).isTrue();
            e.settle(during.reservation(), Usage.of(1000, 500), cost).await();
            ResilientCounters store = (ResilientCounters) e.store();
            assertThat(store.isDown()).isTrue();
            assertThat(store.failures()).isGreaterThanOrEqualTo(2);
            // Redis comes back empty (a restart without persistence) on the same port
            redis = RedisServer.start(port);
            long deadline = System.nanoTime() + 10_000_000_000L;
            BudgetStanding s = null;
            while (System.nanoTime() < deadline) {
                Thread.sleep(600); // past the reconnect pause
                try {
                    s = e.status(ana).await().getFirst();
                    if (!store.isDown() && s.settled() == cost) {
                        break;
                    }
                } catch (RuntimeException stillDown) {
                    // keep waiting
                }
            }
            assertThat(store.isDown()).isFalse();
            // the settle made while Redis was away was replayed into it (the one before the outage is the rebuild's job)
            assertThat(e.status(ana).await().getFirst().settled()).isEqualTo(cost);
        } finally {
            redis.close();
        }
    }

    /** Attack round 9 F2: the local view of an outage starts from what Redis last said, so an exhausted budget stays shut. */
    @Test
    void fail_open_keeps_refusing_a_budget_that_was_exhausted_before_the_outage() throws Exception {
        RedisServer redis = RedisServer.start();
        try (Budgets b = budgets(redis, "fail-open")) {
            BudgetEngine e = b.engine();
            Admission first = e.reserve(new BudgetRequest("a", 1, ana, MODEL, 1000, 1000)).await();
            assertThat(first.admitted()).isTrue();
            e.settle(first.reservation(), Usage.of(1000, 500), 11_000_000_000L).await(); // $11 on a $10 budget
            assertThat(e.reserve(new BudgetRequest("b", 1, ana, MODEL, 10, 10)).await().admitted()).as("before").isFalse();
            redis.stop();
            Admission during = e.reserve(new BudgetRequest("c", 1, ana, MODEL, 10, 10)).await();
            assertThat(((ResilientCounters) e.store()).isDown()).isTrue();
            assertThat(during.admitted()).as("during the outage").isFalse();
            assertThat(during.block().kind()).isEqualTo(BlockNotice.Kind.EXHAUSTED);
        } finally {
            redis.close();
        }
    }
}
