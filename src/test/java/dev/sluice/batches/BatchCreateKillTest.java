package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.pipeline.Identity;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.RedisServer;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 33: the gateway killed (SIGKILL) in the middle of a Message Batch create, after the batch's worst case was
 * admitted and before its pending row was written (here: the row's insert waits on a SQLite lock the test holds). The
 * batch's budget holds live in Redis for 25 hours and are given back only through the row that names them: taken before
 * the row, a kill left them holding the caller's budget for a day with nothing to give them back.
 */
class BatchCreateKillTest {
    private static final String BUDGETS = "list: [{name: cap, level: key, id: \"*\", usd: 20, period: monthly}]";

    @TempDir
    Path dir;

    @Test
    void aKillBeforeTheCreatesRowIsWrittenLeavesNoHoldOnTheBudget() throws Exception {
        SimServer sim = SluiceHarness.startSim();
        RedisServer redis = RedisServer.start();
        Vertx vertx = Vertx.vertx();
        GatewayProcess gateway = null;
        try {
            int port = SluiceHarness.closedPort();
            String yaml = """
                    server: {port: %d, event-loops: 1}
                    auth: {keys: ["%s"]}
                    upstreams: [{name: sim, base-url: "%s", keys: [{alias: k, value: sk-sim}]}]
                    store: {data-dir: "%s"}
                    telemetry: {metrics: false}
                    budgets:
                      counters: {store: redis, redis-url: "%s", on-redis-failure: fail-closed, timeout: 2s}
                      %s
                    """.formatted(port, SluiceHarness.GATEWAY_KEY, sim.baseUrl(), GatewayProcess.dataDir(dir), redis.url(), BUDGETS);
            gateway = GatewayProcess.start(dir, yaml, port, List.of("-Xmx256m", "--enable-native-access=ALL-UNNAMED"));
            try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + GatewayProcess.dataDir(dir).resolve("sluice.db"))) {
                lock.createStatement().execute("BEGIN IMMEDIATE"); // the write lock: the create's insert waits on it
                var create = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages/batches"))
                        .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                                {"requests": [{"custom_id": "a", "params": {"model": "%s", "max_tokens": 4000,
                                  "messages": [{"role": "user", "content": "a long story"}]}}]}""".formatted(SluiceHarness.MODEL)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(2000); // admitted, and waiting on the lock to write its row
                assertThat(create).as("the create still waits on its row").isNotDone();
                gateway.kill();
                gateway = null;
                lock.createStatement().execute("ROLLBACK");
            }
            RedisCounters store = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(5));
            try {
                BudgetEngine reader = new BudgetEngine(TestBudgets.rules(BUDGETS), store, TestBudgets.PRICING, OutputEstimator.defaults(),
                        Clock.systemUTC(), Duration.ofMinutes(15), 1000, null);
                BudgetStanding s = reader.status(staticCaller()).await().getFirst();
                assertThat(s.reserved()).as("held on the budget after the kill, with no row to give it back").isZero();
            } finally {
                store.close();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            sim.close().await();
            vertx.close().await();
            redis.close();
        }
    }

    private static Identity staticCaller() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(SluiceHarness.GATEWAY_KEY.getBytes(StandardCharsets.UTF_8));
        return new Identity("static-" + HexFormat.of().formatHex(d, 0, 4), "config key 1", null, null, null, Map.of());
    }
}
