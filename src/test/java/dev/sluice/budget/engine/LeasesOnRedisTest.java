package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.LeaseSettings;
import dev.sluice.budget.counter.LeasedCounters;
import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.counter.ResilientCounters;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-replica leases on one real Redis: replicas serve far from the line from their leases, never jointly pass the
 * bound, count every settle once, report the org-wide spend, and a crashed replica's lease comes back.
 */
@Timeout(120)
class LeasesOnRedisTest {
    private static final String MODEL = "claude-sonnet-4-6";
    private static final long MAX_TOKENS = 4000;
    private static final long INPUT = 1000;
    private static final LeaseSettings LEASES = new LeaseSettings(8, 16, Duration.ofMillis(5), Duration.ofSeconds(30), Duration.ofSeconds(5));

    private RedisServer redis;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<LeasedCounters> stores = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        stores.forEach(LeasedCounters::close);
        for (Vertx v : vertxes) {
            v.close().await();
        }
        redis.close();
    }

    private record Replica(BudgetEngine engine, LeasedCounters store, Vertx vertx) {
    }

    private Replica replica(String yaml) {
        Vertx v = Vertx.vertx();
        vertxes.add(v);
        LeasedCounters store = new LeasedCounters(v, new RedisCounters(v, redis.url(), Duration.ofSeconds(5)), LEASES, clock::millis);
        stores.add(store);
        return new Replica(new BudgetEngine(TestBudgets.rules(yaml), store, TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                Duration.ofMinutes(10), 1000, null), store, v);
    }

    @Test
    void three_leased_replicas_under_load_stay_within_one_worst_case_of_the_cap_and_count_every_settle_once() throws Exception {
        long cap = 5_000_000_000L; // $5: far enough from the line at first for leases, then reached
        String yaml = "list: [{name: ana, level: user, id: ana, usd: 5, period: monthly}, "
                + "{name: pay, level: team, id: pay, usd: 1000, period: rolling 7d}]";
        List<Replica> replicas = List.of(replica(yaml), replica(yaml), replica(yaml));
        Identity ana = TestBudgets.who("ana", "pay", "acme");
        long worst = TestBudgets.PRICING.worst(MODEL, INPUT, MAX_TOKENS);

        Map<String, Long> billed = new ConcurrentHashMap<>();
        AtomicLong blocks = new AtomicLong();
        AtomicLong maxExposure = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofVirtual().start(() -> { // x = s + r + d in Redis, which counts every lease
            while (running.get()) {
                maxExposure.accumulateAndGet(exposureInRedis("ana"), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // Leases grow only in a flush (every 5 ms), after a replica has seen demand. On a loaded machine the burst
        // below could reach the line before any flush ran, leaving nothing to serve from a lease: a few requests per
        // replica first, with time for flushes, so the burst starts where a running gateway would be.
        for (int warm = 0; warm < 3; warm++) {
            for (int r = 0; r < 3; r++) {
                assertThat(oneRequest("warm-" + warm + "-" + r, replicas.get(r), replicas.get((r + 1) % 3), ana, billed)).isTrue();
            }
            Thread.sleep(50);
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                int client = i;
                pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 1000; n++) { // each client goes on until the budget refuses it for good
                        String id = "c" + client + "-" + n;
                        if (!oneRequest(id, replicas.get(client % 3), replicas.get((client + 1) % 3), ana, billed)) {
                            blocks.incrementAndGet();
                            return null;
                        }
                    }
                    return null;
                });
            }
            go.countDown();
        }
        running.set(false);
        sampler.join();
        for (Replica r : replicas) {
            r.store().flushNow().await();
        }

        long sumOfBills = billed.values().stream().mapToLong(Long::longValue).sum();
        long counted = replicas.get(2).engine().status(ana).await().getFirst().settled();
        assertThat(counted).as("settled in Redis = what was billed: nothing twice, nothing lost").isEqualTo(sumOfBills);
        assertThat(counted).as("final spend <= cap + one worst case").isLessThanOrEqualTo(cap + worst).isGreaterThanOrEqualTo(cap - worst);
        assertThat(maxExposure.get()).as("x never passed cap + one worst case").isLessThan(cap + worst);
        assertThat(blocks.get()).isEqualTo(200);
        long local = replicas.stream().mapToLong(r -> r.store().admissions()[0]).sum();
        long exact = replicas.stream().mapToLong(r -> r.store().admissions()[1]).sum();
        assertThat(local).as("requests served from leases").isPositive();
        assertThat(exact).as("requests near the line went to Redis one by one").isPositive();
        System.out.printf("leases: cap %d, one worst case %d, final %d (overshoot %d), max x %d, served %d, from leases %d, "
                + "through redis %d%n", cap, worst, counted, counted - cap, maxExposure.get(), billed.size(), local, exact);
    }

    /** False when the budget refused for good; retries the in-flight refusal as Claude Code does. */
    private boolean oneRequest(String id, Replica mine, Replica other, Identity ana, Map<String, Long> billed) throws Exception {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int tries = 0; tries < 200; tries++) {
            Admission a = mine.engine().reserve(new BudgetRequest(id, 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
            if (!a.admitted()) {
                if (a.block().kind() == BlockNotice.Kind.EXHAUSTED) {
                    return false;
                }
                Thread.sleep(rnd.nextInt(1, 5));
                continue;
            }
            Thread.sleep(rnd.nextInt(0, 3));
            long out = rnd.nextInt(10) == 0 ? MAX_TOKENS : rnd.nextLong(50, MAX_TOKENS);
            Usage u = Usage.of(INPUT, out);
            long cost = TestBudgets.PRICING.nanoUsd(MODEL, u);
            billed.put(id, cost);
            mine.engine().settle(a.reservation(), u, cost).await();
            if (rnd.nextInt(4) == 0) {
                mine.engine().settle(a.reservation(), u, cost).await(); // a retried settle
            }
            if (rnd.nextInt(6) == 0) {
                other.engine().settle(a.reservation(), u, cost).await(); // replayed on another replica
            }
            return true;
        }
        return true;
    }

    @Test
    void a_crashed_replicas_unspent_lease_comes_back_after_its_time_to_live() throws Exception {
        String yaml = "list: [{name: ana, level: user, id: ana, usd: 100, period: monthly}]";
        Replica a = replica(yaml);
        Replica b = replica(yaml);
        Identity ana = TestBudgets.who("ana", null, "acme");
        serveOne(a, ana, "first"); // through Redis; asks for a lease
        a.store().flushNow().await();
        serveOne(a, ana, "second");
        assertThat(a.store().admissions()[0]).as("the second came from the lease").isEqualTo(1);
        a.store().flushNow().await();
        long held = exposureInRedis("ana") - settledInRedis("ana");
        assertThat(held).as("A's lease is counted in Redis").isPositive();

        a.vertx().close().await(); // A dies: no more flushes, its lease is never given back

        clock.advance(LEASES.ttl().plusSeconds(1));
        Admission next = b.engine().reserve(new BudgetRequest("after", 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
        assertThat(next.admitted()).isTrue();
        b.engine().release(next.reservation()).await();
        b.store().flushNow().await();
        assertThat(redis.cli("EXISTS", a.store().leaseKey("acme"))).isEqualTo("0");
        assertThat(exposureInRedis("ana") - settledInRedis("ana")).as("only B's own lease is left")
                .isLessThanOrEqualTo(LEASES.requests() * TestBudgets.PRICING.worst(MODEL, INPUT, MAX_TOKENS));
        assertThat(settledInRedis("ana")).as("what A settled and flushed stays counted")
                .isEqualTo(2 * TestBudgets.PRICING.nanoUsd(MODEL, Usage.of(INPUT, 100)));
        stores.remove(a.store()); // its Vert.x is gone; closing it would only time out
    }

    @Test
    void a_replica_reports_the_spend_of_every_replica_not_just_its_own() throws Exception {
        String yaml = "list: [{name: ana, level: user, id: ana, usd: 100, period: monthly}]";
        Replica a = replica(yaml);
        Replica b = replica(yaml);
        Identity ana = TestBudgets.who("ana", null, "acme");
        serveOne(a, ana, "warm-a");
        serveOne(b, ana, "warm-b");
        a.store().flushNow().await();
        b.store().flushNow().await();
        for (int i = 0; i < 10; i++) {
            serveOne(a, ana, "a" + i); // from A's lease
        }
        assertThat(a.store().admissions()[0]).isEqualTo(10);
        long each = TestBudgets.PRICING.nanoUsd(MODEL, Usage.of(INPUT, 100));
        a.store().flushNow().await();
        clock.advance(Duration.ofSeconds(1));
        b.store().flushNow().await(); // B learns Redis's numbers at its next flush (every few ms in a gateway)

        BudgetStanding viaStatus = b.engine().status(ana).await().getFirst();
        assertThat(viaStatus.settled()).as("B's status counts A's spend").isEqualTo(12 * each);
        Admission onB = b.engine().reserve(new BudgetRequest("on-b", 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
        assertThat(b.store().admissions()[0]).as("B served it from its own lease").isEqualTo(1);
        assertThat(onB.standing().settled()).as("B's standing on a leased admission counts A's spend").isEqualTo(12 * each);
        assertThat(onB.headers()).containsKey("anthropic-ratelimit-unified-overage-utilization");
        assertThat(onB.headers().get("x-sluice-budget")).contains(onB.standing().amountText(12 * each) + " of ");
        b.engine().release(onB.reservation()).await();
    }

    @Test
    void in_an_outage_a_replica_stops_serving_from_its_lease_and_its_settles_reach_redis_once_it_is_back() throws Exception {
        int port = redis.port();
        Vertx v = Vertx.vertx();
        vertxes.add(v);
        LeasedCounters leased = new LeasedCounters(v, new RedisCounters(v, redis.url(), Duration.ofMillis(300)), LEASES, clock::millis);
        stores.add(leased);
        ResilientCounters store = new ResilientCounters(leased, new MemoryCounters(), ResilientCounters.Policy.FAIL_OPEN);
        BudgetEngine e = new BudgetEngine(TestBudgets.rules("list: [{name: ana, level: user, id: ana, usd: 100, period: monthly}]"),
                store, TestBudgets.PRICING, OutputEstimator.defaults(), clock, Duration.ofMinutes(10), 1000, null);
        Replica r = new Replica(e, leased, v);
        Identity ana = TestBudgets.who("ana", null, "acme");
        serveOne(r, ana, "before"); // through Redis, then a lease
        Usage u = Usage.of(INPUT, 100);
        long each = TestBudgets.PRICING.nanoUsd(MODEL, u);

        redis.stop();
        Admission fromLease = e.reserve(new BudgetRequest("from-lease", 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
        assertThat(leased.admissions()[0]).as("still within the lease").isEqualTo(1);
        var settling = e.settle(fromLease.reservation(), u, each); // waits in the flush while Redis is away
        leased.flushNow().await();
        Admission local = e.reserve(new BudgetRequest("local", 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
        assertThat(local.admitted()).isTrue();
        assertThat(leased.admissions()[0]).as("not from the lease once a flush failed").isEqualTo(1);
        assertThat(store.isDown()).as("the fail-open policy counts it locally").isTrue();
        e.settle(local.reservation(), u, each).await();
        assertThat(settling.isComplete()).isFalse();

        redis = RedisServer.start(port); // back, empty (no persistence)
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!settling.isComplete() || store.isDown()) {
            assertThat(System.nanoTime()).as("the flush and the replay went through").isLessThan(deadline);
            Thread.sleep(100);
            leased.flushNow().await();
            try {
                e.status(ana).await();
            } catch (RuntimeException stillDown) {
                // keep waiting
            }
        }
        Thread.sleep(200); // the replay of the local settle is sent when Redis answers again
        assertThat(settledInRedis("ana")).as("both settles made during the outage reached Redis, once each").isEqualTo(2 * each);
    }

    @Test
    void a_request_reserved_in_redis_and_reserved_again_replaces_its_reservation_there_not_beside_it() throws Exception {
        Replica a = replica("list: [{name: ana, level: user, id: ana, usd: 100, period: monthly}]");
        Identity ana = TestBudgets.who("ana", null, "acme");
        Admission first = a.engine().reserve(new BudgetRequest("twice", 1, ana, MODEL, INPUT, MAX_TOKENS)).await();
        a.store().flushNow().await(); // the line now has a lease
        long leaseAndFirst = exposureInRedis("ana");
        Admission again = a.engine().reserve(new BudgetRequest("twice", 1, ana, MODEL, INPUT, MAX_TOKENS)).await(); // a degrade
        assertThat(first.admitted()).isTrue();
        assertThat(again.admitted()).isTrue();
        assertThat(a.store().admissions()).as("both in Redis: the second replaced the first").containsExactly(0, 2);
        assertThat(exposureInRedis("ana")).isEqualTo(leaseAndFirst);
        Usage u = Usage.of(INPUT, 100);
        a.engine().settle(again.reservation(), u, TestBudgets.PRICING.nanoUsd(MODEL, u)).await();
        assertThat(settledInRedis("ana")).isEqualTo(TestBudgets.PRICING.nanoUsd(MODEL, u));
    }

    private void serveOne(Replica r, Identity who, String id) {
        Admission a = r.engine().reserve(new BudgetRequest(id, 1, who, MODEL, INPUT, MAX_TOKENS)).await();
        assertThat(a.admitted()).isTrue();
        Usage u = Usage.of(INPUT, 100);
        r.engine().settle(a.reservation(), u, TestBudgets.PRICING.nanoUsd(MODEL, u));
        r.store().flushNow().await();
    }

    private long exposureInRedis(String user) {
        try {
            long x = 0;
            for (String f : List.of("s", "r", "d")) {
                String v = redis.cli("HGET", lineKey(user), f);
                x += v.isEmpty() ? 0 : Long.parseLong(v);
            }
            return x;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long settledInRedis(String user) throws Exception {
        String v = redis.cli("HGET", lineKey(user), "s");
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    private String lineKey(String user) throws Exception {
        String keys = redis.cli("--scan", "--pattern", "sluice:b:{acme}:l:" + user + ":" + user + ":*");
        return keys.lines().findFirst().orElse("none");
    }
}
