package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Main;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 13, F3, as the report ran it: {@code sluice serve} as a real process gets SIGTERM with streams in
 * flight. The shutdown hook drains: each stream ends with its {@code message_stop} and its exact ledger record,
 * where the old hook closed everything within about a second and the clients' streams just stopped.
 */
class SigtermShutdownTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private SimServer sim;
    private Process gateway;
    private int port;

    @BeforeEach
    void startSim() {
        vertx = Vertx.vertx();
        sim = SimServer.start(vertx, SimOptions.defaults().withInstances(1)).await();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        sim.close().await();
        vertx.close().await();
    }

    @Test
    void sigtermLetsTheStreamsInFlightFinish() throws Exception {
        startGateway();
        try (RawHttp one = stream(); RawHttp two = stream()) {
            new ProcessBuilder("kill", "-TERM", Long.toString(gateway.pid())).start().waitFor();
            for (RawHttp raw : List.of(one, two)) {
                List<String> rest = raw.remainingEvents().stream().map(RawHttp.TimedEvent::name).toList();
                assertThat(rest).doesNotContain("error").last().isEqualTo("message_stop");
            }
        }
        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the process exits once drained").isTrue();
        gateway = null;
        try (Database db = Database.open(StoreSettings.sqlite(dir.resolve("data")))) {
            List<SpendRow> rows = new SpendReports(db).report(SpendQuery.by("error_type"));
            assertThat(rows).hasSize(1);
            assertThat(rows.getFirst().requests()).isEqualTo(2);
            assertThat(rows.getFirst().estimatedRequests()).isZero();
            assertThat(rows.getFirst().outputTokens()).isEqualTo(2 * 40);
        }
    }

    /** A stream of about two seconds, its head and first event read. */
    private RawHttp stream() throws Exception {
        RawHttp raw = RawHttp.connect(port);
        raw.post("/v1/messages", Http.userMessage("finish me", true), "x-sim-output-tokens", "40", "x-sim-tokens-per-second", "20");
        assertThat(raw.readHead()).isEqualTo(200);
        assertThat(raw.nextEvent().name()).isEqualTo("message_start");
        return raw;
    }

    private void startGateway() throws Exception {
        port = SluiceHarness.closedPort();
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                server: {port: %d, event-loops: 1, shutdown-grace: 20s}
                upstreams: [{name: sim, base-url: "%s", keys: [{alias: k, value: sk-sim}]}]
                store: {data-dir: "%s"}
                telemetry: {metrics: false}
                """.formatted(port, sim.baseUrl(), dir.resolve("data")));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        gateway = new ProcessBuilder(java.toString(), "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "-c", config.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("Sluice listening on")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return;
            }
            assertThat(System.nanoTime()).as("gateway start").isLessThan(deadline);
        }
        throw new AssertionError("the gateway process ended before it listened");
    }
}
