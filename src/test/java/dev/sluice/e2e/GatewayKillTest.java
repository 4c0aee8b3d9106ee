package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Cost;
import dev.sluice.record.InFlightAttempts;
import dev.sluice.record.JournaledLedger;
import dev.sluice.record.LedgerSettings;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendRow;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway itself killed with SIGKILL, as a real process: what it had acknowledged to a client, or
 * heard from the upstream, is billed when it starts again.
 */
class GatewayKillTest {
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
    void aStreamCutByTheKillIsBilledAtLeastWhatTheUpstreamHadReported() throws Exception {
        startGateway();
        try (RawHttp raw = RawHttp.connect(port)) {
            raw.post("/v1/messages", Http.userMessage("a long answer, please", true), "x-sim-event-gap-ms", "200",
                    "x-sim-output-tokens", "200");
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(raw.nextEvent().name()).isEqualTo("message_start");
            raw.nextEvent();
            kill();
        }
        SpendRow row = recovered();
        assertThat(row.requests()).isEqualTo(1);
        assertThat(row.group().get("error_type")).isEqualTo("gateway_restart");
        // message_start had reported the input; it is billed, not zero.
        assertThat(row.inputTokens()).isPositive();
        assertThat(row.costNanoUsd()).isPositive();
        assertThat(row.estimatedRequests()).isEqualTo(1);
    }

    @Test
    void theOutputAStreamHadSentBeforeTheKillIsBilledNotOnlyItsStart() throws Exception {
        startGateway();
        int deltas = 0;
        try (RawHttp raw = RawHttp.connect(port)) {
            raw.post("/v1/messages", Http.userMessage("a long answer, please", true), "x-sim-event-gap-ms", "40",
                    "x-sim-output-tokens", "400");
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(raw.nextEvent().name()).isEqualTo("message_start");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
            while (System.nanoTime() < until) {
                if (raw.nextEvent().name().equals("content_block_delta")) {
                    deltas++;
                }
            }
            kill();
        }
        assertThat(deltas).as("the client read text for over a second").isGreaterThan(10);
        SpendRow row = recovered();
        assertThat(row.group().get("error_type")).isEqualTo("gateway_restart");
        // Each relayed delta is counted into the slot as it passes: at least what the client had read is billed.
        assertThat(row.outputTokens()).as("output billed after %d deltas", deltas).isGreaterThanOrEqualTo(deltas);
        assertThat(row.estimatedRequests()).isEqualTo(1);
    }

    /**
     * Attack round 13, F4: the gateway killed mid-stream and started again. The recovered attempt is billed at least
     * the output the client had received, and, as it never completed, gets its audit line at the restart: an auditor
     * matching the ledger against the audit log finds every billed request, and the chain still verifies.
     */
    @Test
    void aRestartBillsTheOutputTheClientHadAndAuditsTheRecoveredAttempt() throws Exception {
        startGateway();
        int deltas = 0;
        String requestId;
        try (RawHttp raw = RawHttp.connect(port)) {
            raw.post("/v1/messages", Http.userMessage("a long answer, please", true), "x-sim-event-gap-ms", "20",
                    "x-sim-output-tokens", "400");
            assertThat(raw.readHead()).isEqualTo(200);
            requestId = raw.header("request-id");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1100);
            while (System.nanoTime() < until) {
                if (raw.nextEvent().name().equals("content_block_delta")) {
                    deltas++;
                }
            }
            kill();
        }
        startGateway(); // the restart recovers the slot, bills it and writes its audit line
        gateway.sigterm(); // the shutdown hook closes the audit log and the ledger
        assertThat(gateway.waitFor(30)).isTrue();
        gateway = null;

        assertThat(deltas).as("the client read text for about a second").isGreaterThan(20);
        SpendRow row = recovered();
        assertThat(row.group().get("error_type")).isEqualTo("gateway_restart");
        assertThat(row.outputTokens()).as("output billed after the client read %d deltas", deltas).isGreaterThanOrEqualTo(deltas);

        Path audit = dir.resolve("data").resolve("audit.jsonl");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
            if (requestId.equals(n.path("request_id").asText())) {
                lines.add(n);
            }
        }
        assertThat(lines).as("audit lines of %s", requestId).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode line = lines.getFirst();
        assertThat(line.path("kind").asText()).isEqualTo("request");
        assertThat(line.path("attempt").asInt()).isEqualTo(1);
        assertThat(line.path("recovered").asBoolean()).isTrue();
        assertThat(line.path("error_type").asText()).isEqualTo("gateway_restart");
        assertThat(line.path("usage_estimated").asBoolean()).isTrue();
        assertThat(line.path("output_tokens").asLong()).isEqualTo(row.outputTokens());
        assertThat(new BigDecimal(line.path("cost_usd").asText())).isEqualByComparingTo(BigDecimal.valueOf(row.costNanoUsd(), 9));
        dev.sluice.trace.AuditChain.Result verified = dev.sluice.trace.AuditChain.verify(audit, dir.resolve("data"));
        assertThat(verified.ok()).as("audit verify: %s", verified).isTrue();
    }

    @Test
    void aWholeAnswerTheClientHadIsBilledInFullWhateverTheMomentOfTheKill() throws Exception {
        BigDecimal charged = BigDecimal.ZERO;
        for (int i = 0; i < 4; i++) {
            startGateway();
            HttpResponse<String> resp = Http.post("http://127.0.0.1:" + port, "/v1/messages", Http.userMessage("quick " + i, false));
            assertThat(resp.statusCode()).isEqualTo(200);
            charged = charged.add(new BigDecimal(resp.headers().firstValue("x-sluice-cost-usd").orElseThrow()));
            kill();
        }
        SpendRow row = recovered();
        assertThat(row.requests()).isEqualTo(4);
        assertThat(BigDecimal.valueOf(row.costNanoUsd(), 9)).isEqualByComparingTo(charged);
        assertThat(row.estimatedRequests()).isZero();
    }

    private void startGateway() throws Exception {
        gateway = GatewayProcess.start(dir, sim.baseUrl());
        port = gateway.port();
    }

    /** SIGKILL: no shutdown hook, no close, no flush beyond what is already in the kernel. */
    private void kill() throws Exception {
        gateway.kill();
        gateway = null;
    }

    /** Starts the gateway's ledger the way a restart does, and returns everything it holds in one row. */
    private SpendRow recovered() {
        Path data = dir.resolve("data");
        Meter meter = new Meter(PriceTable.load(null, BigDecimal.ONE));
        try (Database db = Database.open(StoreSettings.sqlite(data));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(data))) {
            InFlightAttempts.open(data, ledger, (model, usage) -> {
                Cost c = meter.cost(model, usage);
                return new long[] {c.nanoUsd(), c.providerCacheSavingsNanoUsd()};
            }).close();
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(10))).isTrue();
            List<SpendRow> rows = ledger.report(SpendQuery.by("error_type").between(Instant.now().minusSeconds(3600),
                    Instant.now().plusSeconds(60)));
            assertThat(rows).hasSize(1);
            return rows.getFirst();
        }
    }
}
