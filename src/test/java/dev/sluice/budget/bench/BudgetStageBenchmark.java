package dev.sluice.budget.bench;

import ch.qos.logback.classic.Level;
import dev.sluice.budget.Budgeting;
import dev.sluice.budget.BudgetsPart;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.identity.MonthlyCaps;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.settle.SettleStage;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.RedisServer;
import dev.sluice.translate.UsageReport;
import dev.sluice.upstream.Upstreams;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Budget check and reservation as the pipeline pays for it: the real {@code BudgetStage} (from {@link Budgeting}, as the
 * gateway builds it) runs its request hook on a Vert.x event loop for exchanges carrying Claude Code's own 60 KB
 * request body, timed from the call until its future completes on that loop. That covers counting the body's input
 * bound (the media scan), the budgets that apply (org, team, user, a rolling tag budget: four lines), the atomic
 * reserve and the plan. Each exchange then ends its attempt and completes, which settles it. 500 users in 20 teams in 2
 * orgs; 8 s of closed-loop warm-up, then an open loop: arrivals every 1 ms in pairs (2,000 req/s) whatever the
 * latency; the first second is dropped. Not a unit test; run it:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp) \
 *     dev.sluice.budget.bench.BudgetStageBenchmark [seconds] [memory,redis,redis-exact] [rate]
 * </pre>
 * {@code redis} runs the counters as a gateway configures them by default (per-replica leases); {@code redis-exact}
 * turns leases off (every reserve and settle a script call), as before leases.
 * <pre>
 * </pre>
 */
public final class BudgetStageBenchmark {
    private static final String MODEL = "claude-sonnet-4-6";
    private static final String BUDGETS = """
              list:
                - {name: org, level: org, id: "*", usd: 1000000, period: monthly}
                - {name: team, level: team, id: "*", usd: 100000, period: monthly}
                - {name: user, level: user, id: "*", usd: 10000, period: monthly}
                - {name: feature, level: tag, id: "feature=*", usd: 100000, period: rolling 7d}
            """;

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String stores = args.length > 1 ? args[1] : "memory,redis";
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        byte[] body;
        try (InputStream in = BudgetStageBenchmark.class.getResourceAsStream("/demo/claude-code-request.json")) {
            body = in.readAllBytes();
        }
        for (String s : stores.split(",")) {
            if (s.equals("memory")) {
                run("memory", "", seconds, rate, body);
            } else {
                // "redis": as configured by default (per-replica leases on); "redis-exact": every request through Redis
                String leases = s.equals("redis-exact") ? ", leases: {enabled: false}" : "";
                try (RedisServer redis = RedisServer.start()) {
                    run(s, "  counters: {store: redis, redis-url: \"" + redis.url() + "\", timeout: 2s" + leases + "}\n", seconds, rate,
                            body);
                    redis.cli("INFO", "commandstats").lines().filter(l -> l.contains("eval")).forEach(l -> System.out.println("redis " + l));
                    // CPU seconds Redis used over the whole run (warm-up included): wall-clock usec per call inflates
                    // when the machine is busy, CPU time much less.
                    redis.cli("INFO", "cpu").lines().filter(l -> l.startsWith("used_cpu_user:") || l.startsWith("used_cpu_sys:"))
                            .forEach(l -> System.out.println("redis " + l.strip()));
                }
            }
        }
    }

    private static void run(String name, String counters, int seconds, int rate, byte[] body) throws Exception {
        Path dir = Files.createTempDirectory("sluice-stage-bench");
        SluiceConfig config = new ConfigLoader(Map.of()).parse("bench", """
                upstreams: [{name: sim, base-url: "http://127.0.0.1:9", keys: [{alias: k1, value: x}]}]
                budgets:
                """ + counters + BUDGETS);
        LiveConfig live = LiveConfig.fixed(config, List.of(BudgetsPart.PART, Upstreams.PART, SettleStage.METER));
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             Budgeting budgeting = Budgeting.start(live, vertx, TestBudgets.PRICING, db.dataSource(), false, k -> MonthlyCaps.NONE,
                     Clock.systemUTC())) {
            Stage stage = budgeting.stage();
            Identity[] who = new Identity[500];
            for (int i = 0; i < who.length; i++) {
                who[i] = new Identity("k" + i, "k", "u" + i, "t" + (i % 20), "o" + (i % 2), Map.of("feature", "f" + (i % 10)));
            }
            long warmUntil = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int warm = 0;
            for (; System.nanoTime() < warmUntil; warm++) {
                Exchange ex = exchange(live, "w" + warm, who[warm % who.length], body);
                stage.onRequest(ex).await();
                end(stage, ex);
            }
            int perTick = Math.max(1, rate / 1000);
            int total = rate + rate * seconds;
            long[] ns = new long[total];
            AtomicInteger issued = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(total);
            vertx.runOnContext(v -> vertx.setPeriodic(1, id -> {
                for (int k = 0; k < perTick; k++) {
                    int n = issued.getAndIncrement();
                    if (n >= total) {
                        vertx.cancelTimer(id);
                        return;
                    }
                    Exchange ex = exchange(live, "r" + n, who[n % who.length], body);
                    long t0 = System.nanoTime();
                    stage.onRequest(ex).onComplete(ar -> {
                        ns[n] = System.nanoTime() - t0;
                        if (ar.failed()) {
                            refused.incrementAndGet();
                        }
                        end(stage, ex);
                        done.countDown();
                    });
                }
            }));
            if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": " + done.getCount() + " requests never completed");
            }
            long[] timed = Arrays.copyOfRange(ns, rate, total);
            Arrays.sort(timed);
            System.out.printf("%-6s %d warm-up requests (closed loop), then %d timed%n", name, warm, total);
            System.out.printf("%-6s %d req/s for %d s, %d refused; budget stage onRequest (input bound of a %d-byte body, 4 budgets, "
                            + "reserve): n=%d p50 %.3f ms p99 %.3f ms p99.9 %.3f ms max %.3f ms%n", name, rate, seconds, refused.get(),
                    body.length, timed.length, timed[timed.length / 2] / 1e6, timed[(int) (timed.length * 0.99)] / 1e6,
                    timed[(int) (timed.length * 0.999)] / 1e6, timed[timed.length - 1] / 1e6);
            budgeting.readings().stream().filter(r -> r.name().startsWith("sluice.budget.lease."))
                    .forEach(r -> System.out.printf("%-6s %s %s%n", name, r.name(), r.value().get()));
            System.out.printf("%-6s load average %s%n", name, Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            vertx.close().await();
        }
    }

    /** An exchange as the route stage leaves it: body read, facts, caller, a plan to the upstream. */
    private static Exchange exchange(LiveConfig live, String id, Identity who, byte[] body) {
        Exchange ex = new Exchange(id, System.nanoTime(), REQUEST, Operation.MESSAGES, "POST /v1/messages", null, live.current());
        RequestBody b = RequestBody.wrap(body, body.length);
        ex.body(b, b);
        ex.facts(new RequestFacts(MODEL, true, 32_000, 12, null, body.length, List.of(), List.of()));
        ex.identity(who);
        Target target = new Target("sim", "anthropic", MODEL);
        ex.plan(AttemptPlan.only(target));
        return ex;
    }

    /** The attempt ends committed with Claude Code-sized usage (settled), then the exchange completes. */
    private static void end(Stage stage, Exchange ex) {
        Attempt a = ex.newAttempt(ex.plan().first());
        a.report(REPORT);
        a.commit();
        stage.onAttemptEnd(ex, a);
        stage.onComplete(ex);
    }

    private static final UsageReport REPORT = new UsageReport() {
        private final Usage usage = Usage.of(15_000, 400);

        public Usage usage() {
            return usage;
        }

        public boolean estimated() {
            return false;
        }

        public String servedModel() {
            return MODEL;
        }

        public String errorType() {
            return null;
        }

        public boolean complete() {
            return true;
        }
    };

    /** The client request: only its headers are read (none here), so everything answers empty. */
    private static final HttpServerRequest REQUEST = (HttpServerRequest) Proxy.newProxyInstance(BudgetStageBenchmark.class.getClassLoader(),
            new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> empty(method.getName(), method.getReturnType()));

    private static Object empty(String method, Class<?> type) {
        if (method.equals("headers")) {
            return MultiMap.caseInsensitiveMultiMap();
        }
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return null;
    }
}
