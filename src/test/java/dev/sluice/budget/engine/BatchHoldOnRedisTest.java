package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LeaseSettings;
import dev.sluice.budget.counter.LeasedCounters;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Message Batch's budget hold outlives the gateway that took it (shared counters keep it for its TTL), and a gateway
 * started later gives it back from the hold's id alone, as it does once it bills a batch an earlier run created.
 * With leases too: a hold outlives any lease, so it is taken in Redis itself, where another replica's release finds it.
 */
class BatchHoldOnRedisTest {
    private static final String MODEL = "claude-sonnet-4-6";
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));

    @ParameterizedTest(name = "leases {0}")
    @ValueSource(booleans = {false, true})
    void aHoldTakenByOneGatewayIsCountedAndGivenBackByTheNext(boolean leases) throws Exception {
        String yaml = """
                list:
                  - {name: ana, level: user, id: ana, usd: 1.00, period: monthly}
                """;
        Identity ana = TestBudgets.who("ana", "pay", "acme");
        try (RedisServer redis = RedisServer.start()) {
            Vertx va = Vertx.vertx();
            Vertx vb = Vertx.vertx();
            RedisCounters a = new RedisCounters(va, redis.url(), Duration.ofSeconds(5));
            RedisCounters b = new RedisCounters(vb, redis.url(), Duration.ofSeconds(5));
            CounterStore storeA = leases ? new LeasedCounters(va, a, LeaseSettings.DEFAULTS, clock::millis) : a;
            CounterStore storeB = leases ? new LeasedCounters(vb, b, LeaseSettings.DEFAULTS, clock::millis) : b;
            try {
                BudgetEngine first = engine(yaml, storeA);
                // 1,000 input and 70,000 output tokens may cost $1.05: held whole, it fills the $1 line.
                assertThat(first.hold(new BudgetRequest("req_1:hold", 1, ana, MODEL, 1000, 70_000), Duration.ofHours(25))
                        .toCompletionStage().toCompletableFuture().get()).isTrue();

                BudgetEngine next = engine(yaml, storeB); // another replica, or the same gateway restarted
                BudgetRequest message = new BudgetRequest("req_2", 1, ana, MODEL, 1000, 1000);
                Admission refused = next.reserve(message).toCompletionStage().toCompletableFuture().get();
                assertThat(refused.admitted()).as("the hold counts").isFalse();

                next.releaseHold("req_1:hold", 1, ana).toCompletionStage().toCompletableFuture().get();
                Admission admitted = next.reserve(new BudgetRequest("req_3", 1, ana, MODEL, 1000, 1000))
                        .toCompletionStage().toCompletableFuture().get();
                assertThat(admitted.admitted()).as("given back from its id alone").isTrue();
                // Given back twice (a sweep and a client's read of the same results): nothing changes.
                next.releaseHold("req_1:hold", 1, ana).toCompletionStage().toCompletableFuture().get();
            } finally {
                a.close();
                b.close();
                va.close().await();
                vb.close().await();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aHoldIsTakenInRedisEvenWhenTheReplicaHasALeaseItWouldFitIn() throws Exception {
        String yaml = "list: [{name: ana, level: user, id: ana, usd: 100, period: monthly}]";
        Identity ana = TestBudgets.who("ana", null, "acme");
        try (RedisServer redis = RedisServer.start()) {
            Vertx v = Vertx.vertx();
            LeasedCounters store = new LeasedCounters(v, new RedisCounters(v, redis.url(), Duration.ofSeconds(5)),
                    LeaseSettings.DEFAULTS, clock::millis);
            try {
                BudgetEngine engine = engine(yaml, store);
                // Demand first, with time for flushes: the replica leases a slice of the $100 and admits from it.
                for (int i = 0; i < 2; i++) {
                    Admission a = engine.reserve(new BudgetRequest("warm-" + i, 1, ana, MODEL, 1000, 4000)).await();
                    engine.settle(a.reservation(), dev.sluice.wire.Usage.of(1000, 100), 1_000_000).await();
                    store.flushNow().await();
                }
                assertThat(store.admissions()[0]).as("requests admitted from the lease").isPositive();

                assertThat(engine.hold(new BudgetRequest("req_9:hold", 1, ana, MODEL, 1000, 20_000), Duration.ofHours(25))
                        .await()).isTrue();
                assertThat(redis.cli("KEYS", "*res:req_9:hold/1")).as("held in Redis, where any replica can give it back")
                        .contains("req_9:hold/1");
                engine.releaseHold("req_9:hold", 1, ana).await();
                assertThat(redis.cli("KEYS", "*res:req_9:hold/1")).doesNotContain("req_9:hold/1");
            } finally {
                store.close();
                v.close().await();
            }
        }
    }

    private BudgetEngine engine(String yaml, CounterStore store) {
        return new BudgetEngine(TestBudgets.rules(yaml), store, TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                Duration.ofMinutes(10), 1000, c -> { });
    }
}
