package dev.sluice.respond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RawHttp.TimedEvent;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack round 11: an upstream (or a proxy in front of a wedged one) that sends nothing but keep-alives. They are
 * relayed, so the client stays connected, but they are not progress: after the idle timeout without a part of the
 * answer the stream ends with the timeout error, and the attempt has its record. Before, each ping reset the idle
 * clock and the stream lasted as long as the upstream liked.
 */
class KeepAliveIdleTest {
    private static final String START = AnthropicSse.messageStart("m", 5) + AnthropicSse.TEXT_BLOCK_START;
    /** How long the stub keeps pinging before it gives up and closes (the old gateway relayed all of it). */
    private static final long STUB_PINGS_MILLIS = 10_000;
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        stub = StubServer.start((req, body) -> {
            HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            if ("pings-after-start".equals(req.getHeader("x-test-answer"))) {
                resp.write(START);
            }
            long t0 = System.nanoTime();
            stub.vertx().setPeriodic(100, id -> {
                if (resp.closed() || resp.ended()) {
                    stub.vertx().cancelTimer(id);
                } else if ((System.nanoTime() - t0) / 1_000_000 > STUB_PINGS_MILLIS) {
                    stub.vertx().cancelTimer(id);
                    resp.end();
                } else {
                    resp.write(AnthropicSse.PING);
                }
            });
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: pinger, base-url: "http://127.0.0.1:%d", keys: [{alias: p, value: sk-ant-p}]}
                routes:
                  - {match: "*", upstream: pinger}
                timeouts: {first-byte: 3s, idle: 1s}  # first-byte past the 2 s keep-alive hold, so a pings-only stream may commit
                streaming: {ping-interval: 200ms}
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    @Test
    void pingsAfterTheStartDoNotHoldTheStreamPastTheIdleTimeout() throws Exception {
        String requestId;
        try (RawHttp raw = RawHttp.connect(h.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("wedged", true), "x-test-answer", "pings-after-start");
            assertThat(raw.readHead()).isEqualTo(200);
            requestId = raw.header("request-id");
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(events.getFirst().name()).isEqualTo("message_start");
            assertThat(events).as("the upstream's pings are relayed").anyMatch(e -> e.name().equals("ping"));
            TimedEvent last = events.getLast();
            assertThat(last.name()).isEqualTo("error");
            assertThat(Http.json(last.data()).path("error").path("type").asText()).isEqualTo("timeout_error");
            assertThat(Duration.ofNanos(last.atNanos() - events.getFirst().atNanos()))
                    .as("ended at the idle timeout, not when the upstream stopped pinging").isLessThan(Duration.ofMillis(STUB_PINGS_MILLIS / 2));
            assertThat(raw.ended()).isTrue();
        }
        JsonNode attempt = records(requestId).get(0);
        assertThat(attempt.path("error_type").asText()).as(attempt.toString()).isEqualTo("timeout_error");
    }

    /**
     * Keep-alives alone: however the attempt loop treats them before the first event (a 504 at the first-byte timeout,
     * or a stream committed on them), the client is told it timed out, well before the upstream stops on its own.
     */
    @Test
    void aStreamOfKeepAlivesAloneEndsWithATimeout() throws Exception {
        try (RawHttp raw = RawHttp.connect(h.gatewayPort())) {
            long t0 = System.nanoTime();
            raw.post("/v1/messages", Http.userMessage("only pings", true), "x-test-answer", "pings-only");
            int status = raw.readHead();
            String type;
            if (status == 200) {
                TimedEvent last = raw.remainingEvents().getLast();
                assertThat(last.name()).isEqualTo("error");
                type = Http.json(last.data()).path("error").path("type").asText();
            } else {
                assertThat(status).isEqualTo(504);
                type = Http.json(raw.readBodyText()).path("error").path("type").asText();
            }
            assertThat(type).isEqualTo("timeout_error");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(STUB_PINGS_MILLIS / 2));
        }
    }

    private static JsonNode records(String id) {
        return Http.record(h.gatewayUrl(), id).path("attempts");
    }
}
