package dev.sluice.budget.bench;

import ch.qos.logback.classic.Level;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * What batching settles saves Redis: the engine on {@link RedisCounters} with each settle sent alone ({@code alone},
 * as before batching), gathered while a batch is out ({@code gather}, the default), or held for a window of that
 * many milliseconds ({@code 5}), on a fresh {@code redis-server} each. Closed loop, so a busy
 * machine slows it down instead of piling up timeouts: {@code concurrency} requests in flight, each reserved on four
 * lines (org, team, user, a rolling tag budget) and settled without waiting for the settle. Reports Redis's CPU
 * seconds and script calls per request (much less sensitive to a loaded machine than latency), and the reserve's
 * latency in that loop. Not a unit test; run it:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.budget.bench.SettleBatchBenchmark \
 *     [requests] [concurrency] [modes: alone,gather,5]
 * </pre>
 */
public final class SettleBatchBenchmark {
    private static final String RULES = """
            list:
              - {name: org, level: org, id: "*", usd: 1000000, period: monthly}
              - {name: team, level: team, id: "*", usd: 100000, period: monthly}
              - {name: user, level: user, id: "*", usd: 10000, period: monthly}
              - {name: feature, level: tag, id: "feature=*", usd: 100000, period: rolling 7d}
            """;

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String modes = args.length > 2 ? args[2] : "alone,gather,5";
        for (String m : modes.split(",")) {
            try (RedisServer redis = RedisServer.start()) {
                run(redis, requests, concurrency, m);
            }
        }
    }

    private static void run(RedisServer redis, int requests, int concurrency, String mode) throws Exception {
        Vertx vertx = Vertx.vertx();
        long windowMs = mode.equals("alone") || mode.equals("gather") ? 0 : Long.parseLong(mode);
        RedisCounters store = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(10), Duration.ofMillis(windowMs),
                mode.equals("alone") ? 1 : 32).warmUp(Duration.ofSeconds(5));
        BudgetEngine engine = new BudgetEngine(TestBudgets.rules(RULES), store, TestBudgets.PRICING, OutputEstimator.defaults(),
                Clock.systemUTC(), Duration.ofMinutes(15), 1000, null);
        Identity[] who = new Identity[500];
        for (int i = 0; i < who.length; i++) {
            who[i] = new Identity("k" + i, "k", "u" + i, "t" + (i % 20), "o" + (i % 2), Map.of("feature", "f" + (i % 10)));
        }
        loop(vertx, engine, who, "w", 3_000, concurrency, new long[3_000]);
        redis.cli("CONFIG", "RESETSTAT");
        double cpu0 = cpu(redis);
        long[] ns = new long[requests];
        long t0 = System.nanoTime();
        loop(vertx, engine, who, "r", requests, concurrency, ns);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = cpu(redis) - cpu0;
        long calls = 0;
        for (String l : redis.cli("INFO", "commandstats").split("\n")) {
            if (l.startsWith("cmdstat_evalsha:")) {
                calls = Long.parseLong(l.substring(l.indexOf("calls=") + 6, l.indexOf(',')));
            }
        }
        Arrays.sort(ns);
        System.out.printf("settles %-6s: %d requests, %d in flight, %.1f s (%.0f req/s); redis CPU %.3f s = %.1f us per request, "
                        + "%.2f script calls per request; reserve in this loop p50 %.3f ms p99 %.3f ms%n", mode, requests, concurrency,
                wall, requests / wall, cpu, cpu * 1e6 / requests, (double) calls / requests, ns[ns.length / 2] / 1e6,
                ns[(int) (ns.length * 0.99)] / 1e6);
        store.close();
        vertx.close().await();
    }

    /** {@code n} requests, {@code concurrency} at a time: each reserved, then settled without waiting, then the next. */
    private static void loop(Vertx vertx, BudgetEngine engine, Identity[] who, String prefix, int n, int concurrency, long[] ns)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch settled = new CountDownLatch(n);
        Usage usage = Usage.of(20_000, 400);
        long cost = TestBudgets.PRICING.nanoUsd("claude-sonnet-4-6", usage);
        Runnable[] step = new Runnable[1];
        step[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            long t = System.nanoTime();
            engine.reserve(new BudgetRequest(prefix + i, 1, who[i % who.length], "claude-sonnet-4-6", 20_000, 32_000)).onComplete(ar -> {
                ns[i] = System.nanoTime() - t;
                Admission a = ar.result();
                Future<Void> s = a != null && a.admitted() ? engine.settle(a.reservation(), usage, cost) : Future.succeededFuture();
                s.onComplete(x -> settled.countDown());
                step[0].run();
            });
        };
        vertx.runOnContext(v -> {
            for (int c = 0; c < concurrency; c++) {
                step[0].run();
            }
        });
        if (!settled.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException(settled.getCount() + " of " + n + " requests never settled");
        }
    }

    private static double cpu(RedisServer redis) throws Exception {
        double sum = 0;
        for (String l : redis.cli("INFO", "cpu").split("\n")) {
            if (l.startsWith("used_cpu_user:") || l.startsWith("used_cpu_sys:")) {
                sum += Double.parseDouble(l.substring(l.indexOf(':') + 1).strip());
            }
        }
        return sum;
    }
}
