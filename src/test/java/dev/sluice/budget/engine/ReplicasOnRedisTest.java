package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Usage;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proof: three engines, each with its own Vert.x and its own Redis connection (three replicas), share one
 * real Redis. 200 concurrent requests against a small cap, with retried settles, settles from another replica,
 * client disconnects (settled with what the upstream produced) and abandoned reservations (never settled).
 */
class ReplicasOnRedisTest {
    private static final String MODEL = "claude-sonnet-4-6";
    private static final long CAP_NANO = 500_000_000L; // $0.50
    private static final long MAX_TOKENS = 4000;
    private static final long INPUT = 1000;

    private RedisServer redis;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<RedisCounters> stores = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final List<Crossing> alerts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        stores.forEach(RedisCounters::close);
        for (Vertx v : vertxes) {
            v.close().await();
        }
        redis.close();
    }

    private BudgetEngine replica(String yaml) {
        Vertx v = Vertx.vertx();
        vertxes.add(v);
        RedisCounters store = new RedisCounters(v, redis.url(), Duration.ofSeconds(5));
        stores.add(store);
        return new BudgetEngine(TestBudgets.rules(yaml), store, TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                Duration.ofMinutes(10), 1000, alerts::add);
    }

    @Test
    void two_hundred_concurrent_requests_on_three_replicas_stay_within_one_worst_case_of_the_cap() throws Exception {
        String yaml = "list: [{name: ana, level: user, id: ana, usd: 0.50, period: monthly}]";
        List<BudgetEngine> replicas = List.of(replica(yaml), replica(yaml), replica(yaml));
        Identity ana = TestBudgets.who("ana", "pay", "acme");
        long worst = TestBudgets.PRICING.worst(MODEL, INPUT, MAX_TOKENS);

        Map<String, Long> billed = new ConcurrentHashMap<>();
        AtomicLong admitted = new AtomicLong();
        AtomicLong billingBlocks = new AtomicLong();
        AtomicLong abandoned = new AtomicLong();
        AtomicLong gaveUp = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                pool.submit(() -> {
                    go.await();
                    if (!oneRequest(n, replicas.get(n % 3), replicas.get((n + 1) % 3), ana, billed, admitted, billingBlocks, abandoned)) {
                        gaveUp.incrementAndGet();
                    }
                    return null;
                });
            }
            go.countDown();
        }

        long spent = settledOnRedis(replicas.getFirst(), ana);
        long sumOfBills = billed.values().stream().mapToLong(Long::longValue).sum();
        assertThat(spent).as("spend counted = spend billed, no double counting").isEqualTo(sumOfBills);
        assertThat(spent).as("spend <= cap + one worst case").isLessThanOrEqualTo(CAP_NANO + worst);
        assertThat(admitted.get() + billingBlocks.get() + gaveUp.get()).as("every request got an answer").isEqualTo(200);
        assertThat(abandoned.get()).isPositive();
        // abandoned reservations hold budget only until their time to live; then a reserve sweeps them
        clock.advance(Duration.ofMinutes(11));
        Admission sweep = replicas.get(1).reserve(new BudgetRequest("sweep", 1, ana, MODEL, 1, 1)).await();
        if (sweep.admitted()) {
            replicas.get(1).release(sweep.reservation()).await();
        }
        BudgetStanding after = replicas.get(2).status(ana).await().getFirst();
        assertThat(after.reserved()).isZero();
        assertThat(after.settled()).isEqualTo(sumOfBills);
        // with the abandoned reservations gone, later requests use what is left and then meet the line
        for (int n = 1000; billingBlocks.get() == 0; n++) {
            assertThat(n).as("the line is reached").isLessThan(1100);
            oneRequest(n * 17 + 1, replicas.get(n % 3), replicas.get((n + 1) % 3), ana, billed, admitted, billingBlocks, abandoned);
        }
        long finalSpend = settledOnRedis(replicas.getFirst(), ana);
        assertThat(finalSpend).isEqualTo(billed.values().stream().mapToLong(Long::longValue).sum());
        assertThat(finalSpend).isLessThanOrEqualTo(CAP_NANO + worst).isGreaterThanOrEqualTo(CAP_NANO);
        System.out.printf("proof: cap %d, one worst case %d, spend after the burst %d, final %d (overshoot %d), admitted %d, "
                + "billing blocks %d, gave up while in flight %d, abandoned %d%n", CAP_NANO, worst, spent, finalSpend, finalSpend - CAP_NANO,
                admitted.get(), billingBlocks.get(), gaveUp.get(), abandoned.get());
        // every threshold alerted exactly once across the three replicas
        Thread.sleep(200);
        assertThat(alerts).extracting(c -> c.threshold().percent()).containsExactlyInAnyOrder(75, 90, 100);
    }

    /** One client request with Claude Code's retries; false when it gave up while the in-flight refusal lasted. */
    private boolean oneRequest(int n, BudgetEngine mine, BudgetEngine other, Identity ana, Map<String, Long> billed, AtomicLong admitted,
                               AtomicLong billingBlocks, AtomicLong abandoned) throws Exception {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int tries = 0; tries < 100; tries++) {
            Admission a = mine.reserve(new BudgetRequest("req-" + n, 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
            if (!a.admitted()) {
                if (a.block().kind() == BlockNotice.Kind.EXHAUSTED) {
                    billingBlocks.incrementAndGet();
                    return true;
                }
                Thread.sleep(rnd.nextInt(2, 10)); // in flight could cross: the client retries shortly
                continue;
            }
            if (admitted.incrementAndGet() % 5 == 1 && n < 1000) {
                abandoned.incrementAndGet(); // the replica died before forwarding: never settled
                return true;
            }
            Thread.sleep(rnd.nextInt(0, 15));
            long out = n % 5 == 0 ? MAX_TOKENS : rnd.nextLong(50, MAX_TOKENS); // some hit max_tokens
            Usage u = Usage.of(INPUT, out);
            long cost = TestBudgets.PRICING.nanoUsd(MODEL, u);
            billed.put(a.reservation().request().id(), cost);
            mine.settle(a.reservation(), u, cost).await();
            if (n % 4 == 0) {
                mine.settle(a.reservation(), u, cost).await(); // a retried settle
            }
            if (n % 6 == 0) {
                other.settle(a.reservation(), u, cost).await(); // a settle replayed on another replica
            }
            return true;
        }
        return false;
    }

    private long settledOnRedis(BudgetEngine e, Identity who) {
        BudgetStanding s = e.status(who).await().getFirst();
        return s.settled();
    }

    @Test
    void a_client_disconnect_is_settled_with_what_the_upstream_produced_once() {
        String yaml = "list: [{name: ana, level: user, id: ana, usd: 5}]";
        BudgetEngine a = replica(yaml);
        BudgetEngine b = replica(yaml);
        Identity ana = TestBudgets.who("ana", null, "acme");
        Admission adm = a.reserve(new BudgetRequest("gone", 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
        Usage drained = Usage.of(INPUT, 1234);
        long cost = TestBudgets.PRICING.nanoUsd(MODEL, drained);
        a.settle(adm.reservation(), drained, cost).await();
        b.settle(adm.reservation(), drained, cost).await();
        b.release(adm.reservation()).await();
        BudgetStanding s = b.status(ana).await().getFirst();
        assertThat(s.settled()).isEqualTo(cost);
        assertThat(s.reserved()).isZero();
    }
}
