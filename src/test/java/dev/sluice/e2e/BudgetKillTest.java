package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RedisServer;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 33: a gateway whose budget counters live in a real {@code redis-server}, killed with SIGKILL and started
 * again on the same data dir and the same Redis. Redis keeps its counters across the kill, so nothing rebuilds them from
 * the ledger: what the killed process had not yet told Redis (an attempt cut mid-stream, billed at the restart as
 * {@code gateway_restart}; spend settled into its lease and not yet flushed) must reach the counters from the restart,
 * and the reservation the cut request held must be given back, not left to block the line for its time to live.
 */
class BudgetKillTest {
    /** Near the line (a few requests' worst case): the request takes the exact path, a reservation of its own in Redis. */
    private static final String BUDGETS = "list: [{name: cap, level: key, id: \"*\", usd: 0.5, period: monthly}]";

    @TempDir
    Path dir;
    private SimServer sim;
    private RedisServer redis;
    private GatewayProcess gateway;
    private Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        sim = SluiceHarness.startSim();
        redis = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        sim.close().await();
        vertx.close().await();
        redis.close();
    }

    @Test
    void aStreamCutByTheKillIsChargedToTheRedisBudgetAtTheRestartAndItsReservationGivenBack() throws Exception {
        startGateway(BUDGETS);
        try (RawHttp raw = RawHttp.connect(gateway.port())) {
            raw.post("/v1/messages", Http.userMessage("a long answer, please", true), "x-api-key", SluiceHarness.GATEWAY_KEY,
                    "x-sim-event-gap-ms", "30", "x-sim-output-tokens", "300");
            assertThat(raw.readHead()).isEqualTo(200);
            for (int i = 0; i < 12; i++) {
                raw.nextEvent();
            }
            gateway.kill();
        }
        startGateway(BUDGETS);
        BudgetStanding s = standing(BUDGETS);
        long ledger = ledgerSum();
        assertThat(ledger).as("the restart billed the cut attempt").isPositive();
        assertThat(s.settled()).as("redis spend = the ledger's after the restart").isEqualTo(ledger);
        assertThat(s.reserved()).as("the cut request's reservation given back at the restart").isZero();
    }

    /**
     * Requests served from this replica's lease settle into it and reach Redis with the next flush (every 20 ms by
     * default; 4 s here, so the kill lands in the window): a kill loses what the flush had not yet sent,
     * though the ledger's journal holds every record. The restart settles its last run's recent requests again (the ones
     * already settled are duplicates the markers ignore).
     */
    @Test
    void spendSettledIntoTheLeaseButNotYetFlushedReachesRedisAfterTheKill() throws Exception {
        String budgets = "list: [{name: cap, level: key, id: \"*\", usd: 50, period: monthly}]";
        startGateway(budgets, "{flush: 4s, ttl: 60s, idle: 60s}");
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 4; i++) { // the first goes through Redis (no lease yet); the lease's grant needs a flush
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages"))
                    .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("quick " + i, false))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            if (i == 0) {
                Thread.sleep(4_500); // one flush: the lease is granted
            }
        }
        gateway.kill();
        startGateway(budgets, "{flush: 4s, ttl: 60s, idle: 60s}");
        BudgetStanding s = standing(budgets);
        long ledger = ledgerSum();
        assertThat(s.settled()).as("redis spend = the ledger's after the kill").isEqualTo(ledger);
    }

    private void startGateway(String budgets) throws Exception {
        startGateway(budgets, null);
    }

    private void startGateway(String budgets, String leases) throws Exception {
        gateway = GatewayProcess.startKeyed(dir, sim.baseUrl(), TestBudgets.redisBudgetsYaml(redis.url(), leases, budgets));
    }

    /** The Redis standing once the restarted gateway has had time to settle what it recovered (a few lease flushes). */
    private BudgetStanding standing(String budgets) throws Exception {
        Thread.sleep(1500);
        return TestBudgets.redisStanding(vertx, redis.url(), budgets);
    }

    /** The ledger's sum, read after the running gateway stopped (SIGTERM: it flushes its journal and budget leases). */
    private long ledgerSum() throws Exception {
        gateway.sigterm();
        assertThat(gateway.waitFor(30)).isTrue();
        gateway = null;
        try (Database db = Database.open(StoreSettings.sqlite(GatewayProcess.dataDir(dir)));
             Connection conn = db.dataSource().getConnection();
             ResultSet rs = conn.createStatement().executeQuery("SELECT COALESCE(SUM(cost_nano_usd), 0) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
