package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proxies in front of a provider (OpenRouter, LiteLLM, corporate relays) open a stream with keep-alives, an SSE
 * comment or a ping, before the provider has said anything; the provider's {@code overloaded_error} can follow.
 * A keep-alive is not the start of the answer: the attempt is still undecided, so that error is retried on the
 * next key like any error-first stream. A slow answer after keep-alives is held until it starts, then reaches the
 * client with the first keep-alives in front of it.
 */
class KeepAliveFirstTest {
    private static final String KEEP_ALIVES = ": OPENROUTER PROCESSING\n\n" + AnthropicSse.PING;
    private static final String OVERLOADED = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Overloaded\"}}\n\n";
    private static final String ANSWER = AnthropicSse.textAnswer("m", 5, List.of("hello"), "end_turn", 2);
    private static final ConcurrentHashMap<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        stub = StubServer.start((req, body) -> {
            String test = req.getHeader("x-test-answer");
            boolean firstCall = CALLS.computeIfAbsent(test, k -> new AtomicInteger()).incrementAndGet() == 1;
            HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            resp.write(KEEP_ALIVES);
            switch (test) {
                case "error-then-answer" -> later(resp, 50, firstCall ? OVERLOADED : ANSWER);
                case "always-overloaded" -> later(resp, 50, OVERLOADED);
                case "slow" -> later(resp, 4_000, ANSWER);
                default -> resp.end();
            }
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: relay, base-url: "http://127.0.0.1:%d", keys: [{alias: a, value: sk-ant-a}, {alias: b, value: sk-ant-b}]}
                routes:
                  - {match: "*", upstream: relay}
                """.formatted(stub.port()));
    }

    private static void later(HttpServerResponse resp, long millis, String rest) {
        stub.vertx().setTimer(millis, id -> {
            if (!resp.closed()) {
                resp.end(rest);
            }
        });
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    @Test
    void anErrorAfterKeepAlivesIsRetriedOnTheNextKey() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("retry me", true),
                "x-test-answer", "error-then-answer");
        assertThat(r.statusCode()).isEqualTo(200);
        List<Http.Event> events = Http.events(r.body());
        assertThat(Http.names(events)).doesNotContain("error").contains("message_start", "message_stop");
        assertThat(r.body()).contains("hello");
        assertThat(CALLS.get("error-then-answer").get()).isEqualTo(2);
    }

    @Test
    void everyAttemptOverloadedAfterKeepAlivesIsAnOverloadedStatus() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("no luck", true),
                "x-test-answer", "always-overloaded");
        assertThat(r.statusCode()).isEqualTo(529);
        assertThat(Http.json(r.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
    }

    @Test
    void aSlowAnswerAfterKeepAlivesArrivesWithThem() throws Exception {
        HttpRequest request = Http.request(h.gatewayUrl(), "/v1/messages").header("x-test-answer", "slow")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("slow one", true))).build();
        HttpResponse<InputStream> r = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body).startsWith(": OPENROUTER PROCESSING").contains("hello");
        assertThat(Http.names(Http.events(body))).contains("ping", "message_start", "message_stop");
        assertThat(CALLS.get("slow").get()).isEqualTo(1);
    }
}
