package dev.sluice.e2e;

import static dev.sluice.e2e.StreamingTest.millis;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streams that are not what the client asked for: an upstream that ignores the request's {@code stream} flag (a stream
 * to a request for a whole answer, a JSON body to a request for a stream), and an upstream whose stream never ends
 * ({@code timeouts.stream-total}, short here).
 */
class StreamShapeTest {
    private static final MisframedStreamUpstream UPSTREAM = MisframedStreamUpstream.start();
    private static final String SHAPELESS = "claude-shapeless";
    private static final String FALLING = "claude-shapeless-then-sim";
    /** About 100 deltas 100 ms apart: never idle, and ten seconds long, well past the limit (not endless, so a gateway
     * without the limit fails the test rather than hanging it). */
    private static final String LONG_TOKENS = "100";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
              - name: shapeless
                base-url: http://127.0.0.1:%d
                keys:
                  - alias: s
                    value: sk-shapeless
            routes:
              - match: %s
                upstream: shapeless
              - match: %s
                targets:
                  - {upstream: shapeless, priority: 1}
                  - {upstream: sim, model: %s, priority: 2}
              - match: "*"
                upstream: sim
            timeouts:
              idle: 5s
              stream-total: 1500ms
            """.formatted(UPSTREAM.port(), SHAPELESS, FALLING, SluiceHarness.MODEL));

    @AfterAll
    static void stopUpstream() throws Exception {
        UPSTREAM.close();
    }

    /** A Messages body for {@code model} whose text tells the upstream which shape to answer in. */
    private static String messages(String model, String text, boolean stream) {
        return Http.userMessage(text, stream).replace(SluiceHarness.MODEL, model);
    }

    private static String chat(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    /** The one attempt the request made: a broken answer, its usage flagged as not exact. */
    private static void oneBrokenAttempt(HttpResponse<String> resp) {
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), resp);
        assertThat(attempts).as(attempts.toString()).hasSize(1);
        assertThat(attempts.getFirst().path("error_type").asText()).isEqualTo("api_error");
        assertThat(attempts.getFirst().path("usage_estimated").asBoolean()).isTrue();
    }

    /**
     * {@code FAULT:json} answers a JSON message to a request for a stream; any other text gets an event stream, also to
     * a request for a whole answer. Either way nothing in the wrong shape reaches the client: a 502 in its protocol's
     * envelope, one broken attempt in the ledger, and the upstream asked once.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anAnswerInTheOtherShapeIsABadGatewayAtTheMessagesDoor(boolean stream) {
        int before = UPSTREAM.requests();
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                messages(SHAPELESS, stream ? "FAULT:json" : "hi", stream));
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(502);
        assertThat(resp.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        String message = ErrorPathsTest.assertEnvelope(resp, "api_error").path("error").path("message").asText();
        assertThat(message).contains(stream ? "a whole body to a request for a stream" : "a stream to a request for a whole answer")
                .doesNotContain("127.0.0.1");
        assertThat(resp.body()).doesNotContain("message_start", "msg_misframed");
        oneBrokenAttempt(resp);
        assertThat(UPSTREAM.requests() - before).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anAnswerInTheOtherShapeIsABadGatewayAtTheChatDoor(boolean stream) {
        int before = UPSTREAM.requests();
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions",
                chat(SHAPELESS, stream ? "FAULT:json" : "hi", stream));
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(502);
        assertThat(resp.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(resp.body()).doesNotContain("data:", "chat.completion.chunk", "Exception");
        JsonNode body = Http.json(resp.body());
        assertThat(body.has("type")).as(resp.body()).isFalse(); // OpenAI's envelope, not Anthropic's
        assertThat(body.path("error").path("type").asText()).isEqualTo("api_error");
        oneBrokenAttempt(resp);
        assertThat(UPSTREAM.requests() - before).isEqualTo(1);
    }

    /** The broken attempt is the plan's to retry elsewhere: the next target answers, and each attempt has one record. */
    @Test
    void theNextTargetAnswersAfterAnAnswerInTheOtherShape() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", messages(FALLING, "hi", false));
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(Http.json(resp.body()).path("type").asText()).isEqualTo("message");
        List<JsonNode> attempts = Await.until(Duration.ofSeconds(10), () -> {
            List<JsonNode> seen = Http.attempts(SLUICE.gatewayUrl(), resp);
            return seen.size() >= 2 ? seen : null;
        }, () -> "two attempts recorded");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("upstream_key_alias").asText()).isEqualTo("s");
        assertThat(attempts.get(0).path("error_type").asText()).isEqualTo("api_error");
        assertThat(attempts.get(0).path("usage_estimated").asBoolean()).isTrue();
        assertThat(attempts.get(1).path("upstream_key_alias").asText()).isEqualTo("primary");
        assertThat(attempts.get(1).path("error_type").isNull()).as(attempts.toString()).isTrue();
    }

    /**
     * An upstream that keeps sending deltas is never idle, so only the total limit ends it: an in-band error event after
     * about {@code stream-total}, and the attempt recorded with the usage it had seen.
     */
    @Test
    void aStreamThatRunsPastTheTotalLimitEndsWithAnErrorEvent() {
        long t0 = System.nanoTime();
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                Http.userMessage("a long answer", true).replace("\"max_tokens\":256", "\"max_tokens\":1000"),
                "x-sim-output-tokens", LONG_TOKENS, "x-sim-event-gap-ms", "100");
        long took = millis(System.nanoTime() - t0);
        assertThat(resp.statusCode()).isEqualTo(200);
        List<Http.Event> events = Http.events(resp.body());
        assertThat(Http.names(events)).startsWith("message_start").contains("content_block_delta").endsWith("error")
                .doesNotContain("message_stop");
        assertThat(events.getLast().json().path("error").path("type").asText()).isEqualTo("timeout_error");
        assertThat(events.getLast().json().path("error").path("message").asText()).contains("timeouts.stream-total");
        assertThat(took).isBetween(1_400L, 4_000L);
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), resp);
        assertThat(attempts).as(attempts.toString()).hasSize(1);
        assertThat(attempts.getFirst().path("error_type").asText()).isEqualTo("timeout_error");
        assertThat(attempts.getFirst().path("usage").path("output_tokens").asLong()).isPositive();
        // Counted with the other errors, by type (the exchange's metrics are taken when it ends).
        Await.until(Duration.ofSeconds(5), () -> metrics().contains("sluice_errors_total{type=\"timeout_error\"") ? true : null,
                () -> "the cut stream counted in /metrics");
    }

    private static String metrics() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(SLUICE.gatewayUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The chat door does not pass the simulator's steering headers on: they are standing directives here. */
    @Test
    void theChatDoorsStreamEndsTheSameWay() {
        HttpResponse<String> resp;
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-output-tokens", LONG_TOKENS, "x-sim-event-gap-ms", "100"));
        try {
            resp = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions",
                    chat(SluiceHarness.MODEL, "a long answer", true).replace("\"max_tokens\":16", "\"max_tokens\":1000"));
        } finally {
            SLUICE.harness().sim().standingDirectives(Map.of());
        }
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.body()).contains("chat.completion.chunk", "timeout_error", "timeouts.stream-total")
                .doesNotContain("\"finish_reason\":\"stop\"");
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), resp);
        assertThat(attempts).hasSize(1);
        assertThat(attempts.getFirst().path("error_type").asText()).isEqualTo("timeout_error");
    }
}
