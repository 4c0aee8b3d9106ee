package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a request can fail before or at the upstream, each answered with Anthropic's error
 * envelope (our {@code request_id}, never a stack trace or a page of HTML) and the retry hint
 * Claude Code acts on.
 */
class ErrorPathsTest {
    private static final int BODY_LIMIT = 4096;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
              body-limit: 4KB
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
            """);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            invalid JSON            | {"model": "m", "max_tokens": 5,              | not valid JSON
            not an object           | ["model"]                                    | must be a JSON object
            empty body              | ``                                           | empty
            trailing garbage        | {"model":"m","max_tokens":1,"messages":[]} x | not valid JSON
            missing model           | {"max_tokens": 5, "messages": []}            | model: Field required
            model not a string      | {"model": 7, "max_tokens": 5, "messages": []} | model: Input should be a valid string
            missing max_tokens      | {"model": "m", "messages": []}               | max_tokens: Field required
            max_tokens not integer  | {"model": "m", "max_tokens": "5", "messages": []} | max_tokens: Input should be a valid integer
            messages not a list     | {"model": "m", "max_tokens": 5, "messages": {"role": "user"}} | messages: Input should be a valid list
            missing messages        | {"model": "m", "max_tokens": 5}              | messages: Field required
            stream not a boolean    | {"model": "m", "max_tokens": 5, "messages": [], "stream": "yes"} | stream: Input should be a valid boolean
            """)
    void malformedRequestsAre400sThatNeverReachTheUpstream(String what, String body, String message) {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body == null ? "" : body);
        assertThat(resp.statusCode()).as(what).isEqualTo(400);
        JsonNode error = assertEnvelope(resp, "invalid_request_error");
        assertThat(error.path("error").path("message").asText()).contains(message);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void countTokensNeedsNoMaxTokensButStillAModel() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages/count_tokens",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(resp.statusCode()).isEqualTo(400);
        assertThat(assertEnvelope(resp, "invalid_request_error").path("error").path("message").asText()).contains("model");
    }

    @Test
    void aMissingKeyIs401AndTellsTheClientNotToRetry() {
        HttpRequest req = HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build();
        HttpResponse<String> resp = Http.send(req);
        assertThat(resp.statusCode()).isEqualTo(401);
        assertEnvelope(resp, "authentication_error");
        assertThat(resp.headers().firstValue("x-should-retry")).contains("false");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "x-api-key, sk-wrong",
            "authorization, Bearer sk-wrong",
            "authorization, Basic " + SluiceHarness.GATEWAY_KEY,
    })
    void aWrongKeyIs401AndTellsTheClientNotToRetry(String header, String value) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build();
        HttpResponse<String> resp = Http.send(req);
        assertThat(resp.statusCode()).isEqualTo(401);
        assertEnvelope(resp, "authentication_error");
        assertThat(resp.headers().firstValue("x-should-retry")).contains("false");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aBearerTokenIsAcceptedAsTheGatewayKey() {
        HttpRequest req = HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build();
        HttpResponse<String> resp = Http.send(req);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getFirst().header("authorization")).isNull();
        assertThat(SLUICE.recorder().received().getFirst().upstreamKey()).isEqualTo(SluiceHarness.UPSTREAM_KEY);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /v1/nothing, 404, not_found_error",
            "GET, /v2/messages, 404, not_found_error",
            "GET, /v1/messages/batches/msgbatch_01, 404, not_found_error", // served (dev.sluice.batches): no such batch
            "POST, /v1/files, 501, not_supported",
            "POST, /v1/complete, 501, not_supported",
    })
    void unknownAndUnsupportedPathsSayWhatAndForbidRetries(String method, String path, int status, String type) {
        HttpRequest req = Http.request(SLUICE.gatewayUrl(), path)
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false)))
                .build();
        HttpResponse<String> resp = Http.send(req);
        assertThat(resp.statusCode()).isEqualTo(status);
        assertEnvelope(resp, type);
        assertThat(resp.headers().firstValue("x-should-retry")).contains("false");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /v1/messages",
            "PUT, /v1/messages",
            "DELETE, /v1/messages/count_tokens",
            "POST, /v1/models",
    })
    void aWrongMethodIs405(String method, String path) {
        HttpRequest req = Http.request(SLUICE.gatewayUrl(), path)
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false)))
                .build();
        HttpResponse<String> resp = Http.send(req);
        assertThat(resp.statusCode()).isEqualTo(405);
        assertEnvelope(resp, "invalid_request_error");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void probesAnswerWithoutAKey() {
        for (String path : new String[] {"/", "/api/hello"}) {
            HttpResponse<String> resp = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(resp.statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aBodyOverTheCapIs413WhenItsLengthIsDeclared() throws Exception {
        byte[] body = padded(BODY_LIMIT * 2);
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", body);
            assertThat(raw.readHead()).isEqualTo(413);
            assertEnvelope(raw, "request_too_large");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aBodyOverTheCapIs413WhenItIsChunked() throws Exception {
        byte[] body = padded(BODY_LIMIT * 2);
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.head("POST", "/v1/messages", "transfer-encoding", "chunked");
            for (int at = 0; at < body.length; at += 1000) {
                raw.chunk(Arrays.copyOfRange(body, at, Math.min(body.length, at + 1000)));
            }
            raw.lastChunk();
            assertThat(raw.readHead()).isEqualTo(413);
            assertEnvelope(raw, "request_too_large");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aChunkedBodyUnderTheCapGoesThrough() throws Exception {
        byte[] body = padded(BODY_LIMIT - 100);
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.head("POST", "/v1/messages", "transfer-encoding", "chunked");
            for (int at = 0; at < body.length; at += 700) {
                raw.chunk(Arrays.copyOfRange(body, at, Math.min(body.length, at + 700)));
            }
            raw.lastChunk();
            assertThat(raw.readHead()).as(raw.readBodyText()).isEqualTo(200);
        }
        assertThat(SLUICE.recorder().received().getFirst().body()).isEqualTo(body);
    }

    @Test
    void anUpstreamThatResetsBeforeAnsweringIsA502AfterOneRetry() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "x-sim-fault", "reset");
        assertThat(resp.statusCode()).isEqualTo(502);
        JsonNode body = assertEnvelope(resp, "api_error");
        // The client is told which upstream, never where it is.
        assertThat(body.path("error").path("message").asText()).contains("'sim'").doesNotContain("127.0.0.1");
        // A connection failure is retried once (on the upstream's next key): two attempts reached it.
        assertThat(SLUICE.recorder().received()).hasSize(2);
    }

    @Test
    void anUpstreamThatDropsANonStreamedReplyHalfwayIsA502() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "x-sim-fault", "cut:1");
        assertThat(resp.statusCode()).isEqualTo(502);
        assertEnvelope(resp, "api_error");
    }

    @ParameterizedTest(name = "upstream {0}")
    @CsvSource({
            "429, rate_limit_error, false",
            "529, overloaded_error, true",
            "500, api_error, true",
    })
    void upstreamErrorsAreRelayedWithTheGatewaysRequestId(int status, String type, boolean stream) {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", stream),
                "x-sim-fault", Integer.toString(status));
        assertThat(resp.statusCode()).isEqualTo(status);
        JsonNode body = Http.json(resp.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        // 429 and 529 are retried once by the gateway (after a short retry-after); the last answer is relayed.
        int attempts = status == 500 ? 1 : 2;
        assertThat(resp.headers().firstValue("x-sluice-attempts")).contains(Integer.toString(attempts));
        BilledUsage billed = Await.until(Duration.ofSeconds(5),
                () -> SLUICE.recorder().billed().size() < attempts ? null : SLUICE.recorder().billed().getLast(),
                () -> attempts + " billed records");
        // The upstream's own envelope, with the gateway's request id (the one on the response's request-id header and
        // in its ledger, which the developer quotes); the upstream's id is kept on a header of its own.
        assertThat(body.path("request_id").asText()).isEqualTo(resp.headers().firstValue("request-id").orElseThrow());
        assertThat(resp.headers().firstValue("x-sluice-upstream-request-id")).contains(billed.requestId());
        PassThroughTest.assertOurHeaders(resp.headers().map(), billed.requestId());
        if (status == 429) {
            assertThat(resp.headers().firstValue("retry-after")).contains("1");
        }
        assertThat(resp.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    /** Checks the Anthropic error envelope with our request id, and returns it. */
    static JsonNode assertEnvelope(HttpResponse<String> resp, String type) {
        assertThat(resp.headers().firstValue("content-type")).as("content-type").contains("application/json");
        String requestId = resp.headers().firstValue("request-id").orElseThrow();
        assertThat(resp.headers().firstValue("x-sluice-latency-ms")).as("x-sluice-latency-ms").isPresent();
        return assertEnvelope(resp.body(), type, requestId, resp.headers().firstValue("x-sluice-request-id").orElse(null));
    }

    static JsonNode assertEnvelope(RawHttp raw, String type) throws java.io.IOException {
        assertThat(raw.header("content-type")).as("content-type").isEqualTo("application/json");
        assertThat(raw.header("x-sluice-latency-ms")).as("x-sluice-latency-ms").isNotNull();
        return assertEnvelope(raw.readBodyText(), type, raw.header("request-id"), raw.header("x-sluice-request-id"));
    }

    private static JsonNode assertEnvelope(String text, String type, String requestId, String sluiceRequestId) {
        assertThat(text).doesNotContain("Exception", "\tat ", "<html", "<HTML");
        JsonNode body = Http.json(text);
        assertThat(body.path("type").asText()).as(text).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).as(text).isEqualTo(type);
        assertThat(body.path("error").path("message").asText()).as(text).isNotBlank();
        assertThat(requestId).matches("req_[0-9A-Za-z]{20}");
        assertThat(sluiceRequestId).isEqualTo(requestId);
        assertThat(body.path("request_id").asText()).as(text).isEqualTo(requestId);
        return body;
    }

    /** A valid Messages body of exactly {@code size} bytes. */
    static byte[] padded(int size) {
        String head = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(UTF_8);
    }
}
