package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.pipeline.Identity;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RedisServer;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 33: a gateway whose budget counters live in a real {@code redis-server}, killed with SIGKILL and started
 * again on the same data dir and the same Redis. Redis keeps its counters across the kill, so nothing rebuilds them from
 * the ledger: what the killed process had not yet told Redis (an attempt cut mid-stream, billed at the restart as
 * {@code gateway_restart}) must reach the counters from the restart, and the reservation the cut request held must be given back, not left to block the line for its time to live.
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
        long ledger = ledgerSum(true);
        assertThat(ledger).as("the restart billed the cut attempt").isPositive();
        assertThat(s.settled()).as("redis spend = the ledger's after the restart").isEqualTo(ledger);
        assertThat(s.reserved()).as("the cut request's reservation given back at the restart").isZero();
    }

    private void startGateway(String budgets) throws Exception {
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
                """.formatted(port, SluiceHarness.GATEWAY_KEY, sim.baseUrl(), GatewayProcess.dataDir(dir), redis.url(), budgets);
        gateway = GatewayProcess.start(dir, yaml, port, List.of("-Xmx256m", "--enable-native-access=ALL-UNNAMED"));
    }

    /** The Redis standing once the restarted gateway has had time to settle what it recovered (a few lease flushes). */
    private BudgetStanding standing(String budgets) throws Exception {
        Thread.sleep(1500);
        RedisCounters store = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(5));
        try {
            BudgetEngine reader = new BudgetEngine(TestBudgets.rules(budgets), store, TestBudgets.PRICING, OutputEstimator.defaults(),
                    Clock.systemUTC(), Duration.ofMinutes(15), 1000, null);
            return reader.status(staticCaller()).await().getFirst();
        } finally {
            store.close();
        }
    }

    /** The ledger's sum, read after the running gateway stopped (SIGTERM: it flushes its journal and budget leases). */
    private long ledgerSum(boolean stopFirst) throws Exception {
        if (stopFirst) {
            gateway.sigterm();
            assertThat(gateway.waitFor(30)).isTrue();
            gateway = null;
        }
        try (Database db = Database.open(StoreSettings.sqlite(GatewayProcess.dataDir(dir)));
             Connection conn = db.dataSource().getConnection();
             ResultSet rs = conn.createStatement().executeQuery("SELECT COALESCE(SUM(cost_nano_usd), 0) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The identity the gateway gives a static key: its id is derived from the key's digest. */
    private static Identity staticCaller() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(SluiceHarness.GATEWAY_KEY.getBytes(StandardCharsets.UTF_8));
        return new Identity("static-" + HexFormat.of().formatHex(d, 0, 4), "config key 1", null, null, null, Map.of());
    }
}
