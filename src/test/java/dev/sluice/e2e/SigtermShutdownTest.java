package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Path;
import java.util.List;
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
    private SimServer sim;
    private GatewayProcess gateway;
    private int port;

    @BeforeEach
    void startSim() {
        sim = SluiceHarness.startSim();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        sim.close().await();
    }

    @Test
    void sigtermLetsTheStreamsInFlightFinish() throws Exception {
        startGateway();
        try (RawHttp one = stream(); RawHttp two = stream()) {
            gateway.sigterm();
            for (RawHttp raw : List.of(one, two)) {
                List<String> rest = raw.remainingEvents().stream().map(RawHttp.TimedEvent::name).toList();
                assertThat(rest).doesNotContain("error").last().isEqualTo("message_stop");
            }
        }
        assertThat(gateway.waitFor(60)).as("the process exits once drained").isTrue();
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
        gateway = GatewayProcess.start(dir, sim.baseUrl(), "shutdown-grace: 20s");
        port = gateway.port();
    }
}
