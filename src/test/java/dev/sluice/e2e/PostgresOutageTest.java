package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.MessagesCalls;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault a platform team meets (found: an admin write waited 30 s for a connection and answered 500 "Internal admin
 * API error"; now 5 s and a 503 to retry): the PostgreSQL the gateway keeps its keys and ledger in goes away for a while (a
 * restart, a failover) while developers keep working. Calls with keys issued through the admin API keep being served
 * (never a 5xx of ours), and once the database is back every attempt made meanwhile is in its ledger, once.
 */
class PostgresOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "sk-admin-outage-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path data;
    @TempDir
    Path pgData;

    @Test
    void callsAreServedWhileTheDatabaseIsAwayAndEveryAttemptReachesItsLedger() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(port);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE sluice_outage");
        }
        Vertx vertx = Vertx.vertx();
        Gateway gateway = null;
        try {
            SimServer sim = SimServer.start(vertx, SimOptions.defaults()).await();
            String yaml = """
                    server: {port: 0, event-loops: 1}
                    admin: {keys: [{value: %s, role: write, name: ops}]}
                    upstreams:
                      - {name: sim, base-url: "%s", keys: [{alias: a, value: sk-sim-1}]}
                    store: {kind: postgres, data-dir: "%s", url: "%s", user: postgres, password: postgres}
                    """.formatted(ADMIN_KEY, sim.baseUrl(), data, pg.getJdbcUrl("postgres", "sluice_outage"));
            gateway = Gateway.start(new ConfigLoader(Map.of()).parse("test", yaml)).await();
            String base = gateway.baseUrl();
            admin(base, "/admin/orgs", "{\"id\":\"acme\"}");
            admin(base, "/admin/teams", "{\"id\":\"core\",\"org_id\":\"acme\"}");
            admin(base, "/admin/users", "{\"id\":\"ana\",\"team_id\":\"core\"}");
            String key = JSON.readTree(admin(base, "/admin/keys", "{\"user_id\":\"ana\"}")).path("key").asText();
            MessagesCalls calls = new MessagesCalls(http, () -> base);
            ObjectNode body = MessagesCalls.claudeCodeBody();

            int before = 3;
            for (int i = 0; i < before; i++) {
                assertThat(calls.send(prompt(body, "before " + i), Map.of("x-api-key", key)).statusCode()).isEqualTo(200);
            }
            pg.close(); // the database goes away; its data directory stays
            int during = 5;
            for (int i = 0; i < during; i++) {
                HttpResponse<String> r = calls.send(prompt(body, "during " + i), Map.of("x-api-key", key));
                assertThat(r.statusCode()).as("served while the database is away: " + r.body()).isEqualTo(200);
            }
            HttpResponse<String> stranger = calls.send(prompt(body, "stranger"), Map.of("x-api-key", "sk-not-issued-0123"));
            System.out.println("unknown key while the database is away: " + stranger.statusCode() + " " + stranger.body());
            assertThat(stranger.statusCode()).as("an unknown key is still refused: " + stranger.body()).isIn(401, 503);

            HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/users"))
                    .header("authorization", "Bearer " + ADMIN_KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"ben\",\"team_id\":\"core\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("admin write while the database is away: " + write.statusCode() + " " + write.body());
            assertThat(write.statusCode()).as(write.body()).isEqualTo(503);
            assertThat(JSON.readTree(write.body()).at("/error/message").asText()).isNotBlank();

            for (String read : new String[] {"/admin/spend?by=user", "/admin/dashboard/api/summary", "/admin/dashboard/api/requests"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + read))
                        .header("authorization", "Bearer " + ADMIN_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
                System.out.println(read + " while the database is away: " + r.statusCode() + " " + r.body());
                assertThat(r.statusCode()).as(read + ": " + r.body()).isEqualTo(503);
            }

            pg = start(port); // back, same data
            long rows = 0;
            for (int i = 0; i < 600 && rows < before + during; i++) {
                Thread.sleep(100);
                rows = ledgerRows(pg);
            }
            assertThat(rows).as("every attempt, once").isEqualTo(before + during);
            HttpResponse<String> after = calls.send(prompt(body, "after"), Map.of("x-api-key", key));
            assertThat(after.statusCode()).isEqualTo(200);
        } finally {
            if (gateway != null) {
                gateway.stop().await();
            }
            vertx.close().await();
            pg.close();
        }
    }

    private EmbeddedPostgres start(int port) throws Exception {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(pgData).setCleanDataDirectory(false).start();
    }

    private static long ledgerRows(EmbeddedPostgres pg) {
        try (Connection c = pg.getDatabase("postgres", "sluice_outage").getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM ledger")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1; // not accepting connections yet
        }
    }

    private static ObjectNode prompt(ObjectNode base, String text) {
        ObjectNode b = base.deepCopy();
        b.put("stream", false);
        ((ObjectNode) b.withArray("messages").get(b.withArray("messages").size() - 1)).putArray("content").addObject()
                .put("type", "text").put("text", text);
        return b;
    }

    private String admin(String base, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("authorization", "Bearer " + ADMIN_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 201);
        return r.body();
    }
}
