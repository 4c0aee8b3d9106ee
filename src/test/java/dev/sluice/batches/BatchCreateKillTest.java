package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.RedisServer;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
            gateway = GatewayProcess.startKeyed(dir, sim.baseUrl(), TestBudgets.redisBudgetsYaml(redis.url(), null, BUDGETS));
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
            BudgetStanding s = TestBudgets.redisStanding(vertx, redis.url(), BUDGETS);
            assertThat(s.reserved()).as("held on the budget after the kill, with no row to give it back").isZero();
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            sim.close().await();
            vertx.close().await();
            redis.close();
        }
    }
}
