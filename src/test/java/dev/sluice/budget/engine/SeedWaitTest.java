package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An engine whose new budgets are still being seeded from the ledger decides nothing until the seed is done: a
 * budget set below what was spent must refuse the first request it sees. A seed that takes too long (a counters'
 * outage, retried for an hour) stops holding requests after the wait, for that request and every later one.
 */
class SeedWaitTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Identity ANA = new Identity("k1", "a", "ana", "pay", "acme", Map.of());

    private static BudgetEngine engine() {
        BudgetSet rules = TestBudgets.rules("list: [{name: ana, level: user, id: ana, usd: 7, period: monthly}]");
        return new BudgetEngine(rules, new MemoryCounters(), TestBudgets.PRICING, OutputEstimator.defaults(), new TestClock(NOW),
                Duration.ofMinutes(5), 100, null);
    }

    @Test
    void reservationsAndStatusWaitForTheSeed() throws Exception {
        BudgetEngine engine = engine();
        CompletableFuture<Void> seed = new CompletableFuture<>();
        engine.seededBy(seed);
        Future<Admission> admission = engine.reserve(new BudgetRequest("req_1", 1, ANA, "claude-sonnet-4-5", 100, 100, 1000));
        Future<List<BudgetStanding>> status = engine.status(ANA);
        Thread.sleep(100);
        assertThat(admission.isComplete()).as("no decision before the seed").isFalse();
        assertThat(status.isComplete()).isFalse();
        seed.complete(null);
        assertThat(admission.await().admitted()).isTrue();
        assertThat(status.await()).hasSize(1);
    }

    @Test
    void aSeedThatTakesTooLongStopsHoldingRequests() throws Exception {
        BudgetEngine engine = engine();
        engine.seedWait = Duration.ofMillis(200);
        engine.seededBy(new CompletableFuture<>()); // never completes, as during a long outage
        long t0 = System.nanoTime();
        assertThat(engine.reserve(new BudgetRequest("req_1", 1, ANA, "claude-sonnet-4-5", 100, 100, 1000)).await().admitted()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        Future<Admission> later = engine.reserve(new BudgetRequest("req_2", 1, ANA, "claude-sonnet-4-5", 100, 100, 1000));
        assertThat(later.isComplete()).as("a later request does not wait again").isTrue();
    }
}
