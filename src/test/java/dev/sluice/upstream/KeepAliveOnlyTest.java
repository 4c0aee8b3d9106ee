package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keep-alives say the upstream's connection is alive, not that its answer is coming: an upstream (or a relay in
 * front of a wedged one) that sends only pings meets the first-byte timeout like a silent one, and the next target
 * serves; and once the client has left, pings do not keep a drained stream, and its upstream connection, open.
 */
class KeepAliveOnlyTest {
    private static final String START = AnthropicSse.messageStart("m", 5);
    /** The x-test-id of each request whose upstream connection has closed. */
    private static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        stub = StubServer.start((req, body) -> {
            HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            if ("pings-then-end".equals(req.getHeader("x-test-answer"))) {
                resp.end(AnthropicSse.PING + AnthropicSse.PING + AnthropicSse.PING);
                return;
            }
            if ("started-then-pings".equals(req.getHeader("x-test-answer"))) {
                String id = req.getHeader("x-test-id");
                req.connection().closeHandler(v -> CLOSED.add(id));
                resp.write(START);
            }
            long timer = stub.vertx().setPeriodic(100, id -> {
                if (!resp.closed()) {
                    resp.write(AnthropicSse.PING);
                }
            });
            stub.vertx().setTimer(30_000, id -> {
                stub.vertx().cancelTimer(timer);
                if (!resp.closed()) {
                    resp.end();
                }
            });
            resp.closeHandler(v -> stub.vertx().cancelTimer(timer));
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: pinger, base-url: "http://127.0.0.1:%d", keys: [{alias: p1, value: sk-ant-stub}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                timeouts: {first-byte: 3s, idle: 2s}
                streaming: {on-client-disconnect: drain}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - name: chain
                    when: {headers: {x-test-route: chain}}
                    targets: [{upstream: pinger}, {upstream: secondary}]
                  - name: alone
                    targets: [{upstream: pinger}]
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    @Test
    void pingsAloneMeetTheFirstByteTimeoutAndTheNextTargetServes() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("pings only", true),
                "x-test-answer", "pings", "x-test-route", "chain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
        assertThat(r.headers().firstValue("x-sluice-tried").orElse("")).contains("pinger/p1 200 timeout_error");
        assertThat(Http.names(Http.events(r.body()))).contains("message_start", "message_stop").doesNotContain("error");
        JsonNode first = records(r).get(0);
        assertThat(first.path("usage_estimated").asBoolean()).as(first.toString()).isTrue();
    }

    /** A stream that ends after keep-alives alone never started an answer: the next target serves, the zero is flagged. */
    @Test
    void pingsThenTheEndAreABrokenAnswer() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("pings then end", true),
                "x-test-answer", "pings-then-end", "x-test-route", "chain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
        assertThat(Http.names(Http.events(r.body()))).contains("message_start", "message_stop").doesNotContain("error");
        JsonNode first = records(r).get(0);
        assertThat(first.path("error_type").asText()).isEqualTo("api_error");
        assertThat(first.path("usage_estimated").asBoolean()).as(first.toString()).isTrue();
    }

    @Test
    void aDrainAfterTheClientLeftEndsWhenOnlyPingsCome() throws Exception {
        String id = UUID.randomUUID().toString();
        String requestId;
        try (RawHttp raw = RawHttp.connect(h.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("leave me " + id, true), "x-test-answer", "started-then-pings",
                    "x-test-route", "alone", "x-test-id", id);
            assertThat(raw.readHead()).isEqualTo(200);
            requestId = raw.header("request-id");
            assertThat(raw.nextEvent().name()).isEqualTo("message_start");
        }
        // The idle timeout (2 s) counts from the last event that was not a keep-alive; the upstream pings for 30 s.
        Await.until(Duration.ofSeconds(15), () -> CLOSED.contains(id) ? true : null,
                () -> "the drained upstream connection to close");
        JsonNode records = records(requestId);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("usage").path("input_tokens").asLong()).isEqualTo(5);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).as(records.toString()).isTrue();
    }

    private static JsonNode records(HttpResponse<String> resp) {
        return records(Http.requestId(resp));
    }

    private static JsonNode records(String id) {
        return Http.record(h.gatewayUrl(), id).path("attempts");
    }
}
