package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import io.vertx.core.Future;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store (Redis) failing while counters are rebuilt or seeded from the ledger: the failure is a checked
 * {@code IOException} rethrown by {@code await}, and neither the periodic check nor a seed may die of it.
 */
class CounterRebuildOutageTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void the_periodic_check_outlives_an_outage_and_rebuilds_a_store_flushed_after_it(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(NOW);
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(NOW.minus(Duration.ofHours(1)), "k1", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 2_000_000_000L);
            ledger.flush();
            BudgetSet rules = TestBudgets.rules("list: [{name: pay, level: team, id: pay, usd: 100, period: monthly}]");
            Flaky store = new Flaky(new MemoryCounters());
            store.down.set(true);
            try (CounterRebuild rebuild = new CounterRebuild(rules.rules(), store.proxy(), ledger.spend(), clock)) {
                rebuild.schedule(Duration.ofMillis(20));
                waitFor(() -> store.failures.get() >= 3); // several checks met the outage
                store.down.set(false); // back, and empty (needs a rebuild)
                waitFor(() -> !store.counters.needsRebuild().await());
            }
            BudgetEngine engine = new BudgetEngine(rules, store.counters, TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                    Duration.ofMinutes(5), 100, null);
            List<BudgetStanding> s = engine.status(new Identity("k1", "a", "ana", "pay", "acme", Map.of())).await();
            assertThat(s.getFirst().settled()).isEqualTo(2_000_000_000L);
        }
    }

    @Test
    void a_budget_added_during_an_outage_is_seeded_once_the_store_is_back(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(NOW);
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(NOW.minus(Duration.ofHours(1)), "k1", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 1_090_000_000L);
            ledger.flush();
            BudgetSet added = TestBudgets.rules("list: [{name: ana, level: user, id: ana, usd: 7, period: monthly}]");
            Flaky store = new Flaky(new MemoryCounters());
            store.down.set(true);
            try (CounterRebuild rebuild = new CounterRebuild(List.of(), store.proxy(), ledger.spend(), clock)) {
                rebuild.seedRetry = Duration.ofMillis(20);
                rebuild.seedAddedLater(added.rules(), NOW);
                waitFor(() -> store.failures.get() >= 2);
                store.down.set(false);
                BudgetEngine engine = new BudgetEngine(added, store.counters, TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                        Duration.ofMinutes(5), 100, null);
                Identity ana = new Identity("k1", "a", "ana", "pay", "acme", Map.of());
                waitFor(() -> engine.status(ana).await().getFirst().settled() == 1_090_000_000L);
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(until);
            Thread.sleep(10);
        }
    }

    /** A counter store whose every call fails with a checked IOException while {@code down}, as Redis's does. */
    private static final class Flaky {
        final MemoryCounters counters;
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger failures = new AtomicInteger();

        Flaky(MemoryCounters counters) {
            this.counters = counters;
        }

        CounterStore proxy() {
            return (CounterStore) Proxy.newProxyInstance(CounterStore.class.getClassLoader(), new Class<?>[] {CounterStore.class},
                    (p, method, args) -> {
                        if (down.get() && method.getReturnType() == Future.class) {
                            failures.incrementAndGet();
                            return Future.failedFuture(new IOException("redis unavailable (reconnecting)"));
                        }
                        try {
                            return method.invoke(counters, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
