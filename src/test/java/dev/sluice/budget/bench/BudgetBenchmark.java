package dev.sluice.budget.bench;

import ch.qos.logback.classic.Level;
import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Usage;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Budget check + reservation latency at a fixed arrival rate, as the budget stage sees it: issued from a Vert.x
 * event loop, timed until the admission is back on that loop. Each request falls under four budgets (org, its team,
 * its user, a feature tag), so one reserve touches four lines; each is settled right after. 500 users in 20 teams
 * in 2 orgs. After 8 s of closed-loop warm-up, an open loop: arrivals every 1 ms in pairs (2,000 req/s), whatever the
 * latency; the first second is dropped. Not a unit test; run it:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.budget.bench.BudgetBenchmark [seconds] [memory,redis] [rate]
 * </pre>
 */
public final class BudgetBenchmark {
    private static final String RULES = """
            list:
              - {name: org, level: org, id: "*", usd: 1000000, period: monthly}
              - {name: team, level: team, id: "*", usd: 100000, period: monthly}
              - {name: user, level: user, id: "*", usd: 10000, period: monthly}
              - {name: feature, level: tag, id: "feature=*", usd: 100000, period: rolling 7d}
            """;

    private static int rate;

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String stores = args.length > 1 ? args[1] : "memory,redis";
        rate = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        for (String s : stores.split(",")) {
            if (s.equals("memory")) {
                run("memory", seconds, v -> new MemoryCounters());
            } else {
                try (RedisServer redis = RedisServer.start()) {
                    run("redis", seconds, v -> new RedisCounters(v, redis.url(), Duration.ofSeconds(2)).warmUp(Duration.ofSeconds(5)));
                    redis.cli("INFO", "commandstats").lines().filter(l -> l.contains("eval")).forEach(l -> System.out.println("redis " + l));
                }
            }
        }
    }

    private static void run(String name, int seconds, java.util.function.Function<Vertx, CounterStore> stores) throws Exception {
        Vertx vertx = Vertx.vertx();
        CounterStore store = stores.apply(vertx);
        BudgetEngine engine = new BudgetEngine(TestBudgets.rules(RULES), store, TestBudgets.PRICING, OutputEstimator.defaults(),
                Clock.systemUTC(), Duration.ofMinutes(15), 1000, null);
        Identity[] who = new Identity[500];
        for (int i = 0; i < who.length; i++) {
            who[i] = new Identity("k" + i, "k", "u" + i, "t" + (i % 20), "o" + (i % 2), Map.of("feature", "f" + (i % 10)));
        }
        // warm the JIT and the connection closed-loop first: an open loop on a cold JVM only measures its backlog
        long warmUntil = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        Usage warmUsage = Usage.of(100, 10);
        for (int n = 0; System.nanoTime() < warmUntil; n++) {
            Admission a = engine.reserve(new BudgetRequest("w" + n, 1, who[n % who.length], "claude-sonnet-4-6", 100, 100)).await();
            engine.settle(a.reservation(), warmUsage, 1000).await();
        }
        int perTick = Math.max(1, rate / 1000);
        int warm = rate;
        int total = warm + rate * seconds;
        long[] reserveNs = new long[total];
        long[] settleNs = new long[total];
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        Usage usage = Usage.of(20_000, 400);
        long cost = TestBudgets.PRICING.nanoUsd("claude-sonnet-4-6", usage);
        vertx.runOnContext(v -> vertx.setPeriodic(1, id -> {
            for (int k = 0; k < perTick; k++) {
                int n = issued.getAndIncrement();
                if (n >= total) {
                    vertx.cancelTimer(id);
                    return;
                }
                long t0 = System.nanoTime();
                engine.reserve(new BudgetRequest("r" + n, 1, who[n % who.length], "claude-sonnet-4-6", 20_000, 32_000)).onComplete(ar -> {
                    long t1 = System.nanoTime();
                    reserveNs[n] = t1 - t0;
                    Admission a = ar.result();
                    if (ar.failed() || !a.admitted()) {
                        failures.incrementAndGet();
                        done.countDown();
                        return;
                    }
                    engine.settle(a.reservation(), usage, cost).onComplete(s -> {
                        settleNs[n] = System.nanoTime() - t1;
                        if (s.failed()) {
                            failures.incrementAndGet();
                        }
                        done.countDown();
                    });
                });
            }
        }));
        if (!done.await(seconds + 60L, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + ": " + done.getCount() + " requests never completed, issued " + issued.get());
        }
        System.out.printf("%-6s %d req/s for %d s, %d refused or failed (timeouts count as failures)%n", name, rate, seconds, failures.get());
        print(name, "reserve (check + reservation)", Arrays.copyOfRange(reserveNs, warm, total));
        print(name, "settle", Arrays.copyOfRange(settleNs, warm, total));
        store.close();
        vertx.close().await();
    }

    private static void print(String store, String what, long[] ns) {
        Arrays.sort(ns);
        System.out.printf("%-6s %-30s n=%d  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n", store, what, ns.length,
                ns[ns.length / 2] / 1e6, ns[(int) (ns.length * 0.99)] / 1e6, ns[(int) (ns.length * 0.999)] / 1e6, ns[ns.length - 1] / 1e6);
    }
}
