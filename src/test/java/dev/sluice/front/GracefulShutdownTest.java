package dev.sluice.front;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 13, F3: a stop (SIGTERM, {@code Gateway.stop()}) drains. Streams in flight finish within
 * {@code server.shutdown-grace}; new requests get a retryable 503 in their door's envelope and {@code /readyz} says
 * draining; a stream longer than the grace ends with an {@code event: error} and its one ledger record. Each test
 * fails on the old stop, which closed the event loops at once.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    private SluiceHarness start(String grace) {
        return SluiceHarness.start(SluiceHarness.BASE_YAML.replace("  event-loops: 1\n",
                "  event-loops: 1\n  shutdown-grace: " + grace + "\n") + """
                store: {kind: sqlite, data-dir: "%s"}
                telemetry: {metrics: false}
                """.formatted(dir.resolve("data")));
    }

    /** A stream of {@code tokens} output tokens at 20 a second, its head and first event read. */
    private static RawHttp stream(SluiceHarness h, int tokens) throws Exception {
        RawHttp raw = RawHttp.connect(h.gatewayPort());
        raw.post("/v1/messages", Http.userMessage("drain me", true), "x-sim-output-tokens", Integer.toString(tokens),
                "x-sim-tokens-per-second", "20");
        assertThat(raw.readHead()).isEqualTo(200);
        assertThat(raw.nextEvent().name()).isEqualTo("message_start");
        return raw;
    }

    @Test
    void aStreamInFlightAtStopCompletesWithinTheGrace() throws Exception {
        try (SluiceHarness h = start("20s"); RawHttp raw = stream(h, 30)) {
            Future<Void> stopped = h.gateway().stop();
            List<String> rest = raw.remainingEvents().stream().map(RawHttp.TimedEvent::name).toList();
            assertThat(rest).contains("content_block_delta").doesNotContain("error").last().isEqualTo("message_stop");
            SluiceHarness.await(stopped);
            SpendRow row = ledger();
            assertThat(row.requests()).isEqualTo(1);
            assertThat(row.estimatedRequests()).isZero();
            assertThat(row.outputTokens()).isEqualTo(30);
        }
    }

    @Test
    void duringTheDrainNewRequestsAreRefusedRetryablyInTheirDoorsEnvelope() throws Exception {
        try (SluiceHarness h = start("20s"); RawHttp raw = stream(h, 60)) {
            Future<Void> stopped = h.gateway().stop();
            try (RawHttp late = RawHttp.connect(h.gatewayPort())) {
                late.post("/v1/messages", Http.userMessage("too late", false));
                assertThat(late.readHead()).isEqualTo(503);
                assertThat(late.header("x-should-retry")).isEqualTo("true");
                assertThat(late.header("retry-after")).isEqualTo("1");
                assertThat(late.header("connection")).isEqualTo("close");
                assertThat(Http.json(late.readBodyText()).path("error").path("type").asText()).isEqualTo("overloaded_error");
            }
            try (RawHttp openai = RawHttp.connect(h.gatewayPort())) {
                openai.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "authorization", "Bearer " + SluiceHarness.GATEWAY_KEY);
                assertThat(openai.readHead()).isEqualTo(503);
                // OpenAI's envelope: no "type":"error" wrapper, and OpenAI's code for an overload
                var body = Http.json(openai.readBodyText());
                assertThat(body.path("type").isMissingNode()).as(body.toString()).isTrue();
                assertThat(body.path("error").path("code").asText()).as(body.toString()).isEqualTo("server_overloaded");
            }
            assertThat(h.recorder().received()).as("nothing refused reached the upstream").hasSize(1);
            assertThat(raw.remainingEvents().getLast().name()).isEqualTo("message_stop");
            SluiceHarness.await(stopped);
        }
    }

    @Test
    void duringTheDrainReadinessSaysNotReadyAndLivenessStaysUp() throws Exception {
        try (SluiceHarness h = start("20s"); RawHttp raw = stream(h, 30)) {
            Future<Void> stopped = h.gateway().stop();
            try (RawHttp ready = RawHttp.connect(h.gatewayPort())) {
                ready.head("GET", "/readyz");
                assertThat(ready.readHead()).isEqualTo(503);
                assertThat(ready.readBodyText()).contains("draining");
            }
            try (RawHttp live = RawHttp.connect(h.gatewayPort())) {
                live.head("GET", "/healthz");
                assertThat(live.readHead()).as("liveness stays up: the process is fine, only stopping").isEqualTo(200);
            }
            assertThat(raw.remainingEvents().getLast().name()).isEqualTo("message_stop");
            SluiceHarness.await(stopped);
        }
    }

    @Test
    void aWholeAnswerNotReadyWhenTheGraceEndsGetsTheRetryableRefusalAndItsRecord() throws Exception {
        try (SluiceHarness h = start("1s"); RawHttp raw = RawHttp.connect(h.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("slow whole answer", false), "x-sim-ttft-ms", "8000");
            Await.until(Duration.ofSeconds(5), () -> h.recorder().received().isEmpty() ? null : true, () -> "the upstream call");
            Future<Void> stopped = h.gateway().stop();
            assertThat(raw.readHead()).isEqualTo(503);
            assertThat(raw.header("x-should-retry")).isEqualTo("true");
            assertThat(Http.json(raw.readBodyText()).path("error").path("type").asText()).isEqualTo("overloaded_error");
            SluiceHarness.await(stopped);
            assertThat(ledger().requests()).as("the attempt under way has its one record").isEqualTo(1);
        }
    }

    @Test
    void aStreamLongerThanTheGraceEndsWithAnErrorEventAndItsLedgerRecord() throws Exception {
        try (SluiceHarness h = start("1s"); RawHttp raw = stream(h, 400)) {
            Future<Void> stopped = h.gateway().stop();
            List<RawHttp.TimedEvent> rest = raw.remainingEvents();
            RawHttp.TimedEvent last = rest.getLast();
            assertThat(last.name()).as("the cut is told, not a silent end").isEqualTo("error");
            assertThat(Http.json(last.data()).path("error").path("type").asText()).isEqualTo("overloaded_error");
            assertThat(rest).extracting(RawHttp.TimedEvent::name).doesNotContain("message_stop");
            SluiceHarness.await(stopped);
            SpendRow row = ledger();
            assertThat(row.requests()).as("exactly one record for the one attempt").isEqualTo(1);
            assertThat(row.estimatedRequests()).isEqualTo(1);
            assertThat(row.group().get("error_type")).isEqualTo("overloaded_error");
            assertThat(row.outputTokens()).isPositive().isLessThan(400);
        }
    }

    /** Every ledger record of the run, in one row (the gateway has stopped, so all are flushed). */
    private SpendRow ledger() {
        try (Database db = Database.open(StoreSettings.sqlite(dir.resolve("data")))) {
            List<SpendRow> rows = Await.until(Duration.ofSeconds(5), () -> {
                List<SpendRow> r = new SpendReports(db).report(SpendQuery.by("error_type"));
                return r.isEmpty() ? null : r;
            }, () -> "the ledger records");
            assertThat(rows).hasSize(1);
            return rows.getFirst();
        }
    }
}
