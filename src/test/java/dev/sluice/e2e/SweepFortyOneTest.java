package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attack and fault sweep 41, against a gateway in open local mode (no key, as the quick start runs it): what a page of
 * another site can make a developer's browser send, a chat body with more after its JSON object, and upstream streams
 * that do not open a message (no {@code message_start}, text no SSE reader takes for the API's events, a byte order
 * mark before the first event).
 */
class SweepFortyOneTest {
    private static final MisframedStreamUpstream MISFRAMED = MisframedStreamUpstream.start();
    private static final String MISFRAMED_MODEL = "claude-misframed";

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
              - name: misframed
                base-url: http://127.0.0.1:%d
                keys:
                  - alias: m
                    value: sk-misframed
            routes:
              - match: %s
                upstream: misframed
                model: %s
              - match: "*"
                upstream: sim
            """.formatted(MISFRAMED.port(), MISFRAMED_MODEL, SluiceHarness.MODEL));

    @AfterAll
    static void stopUpstream() throws Exception {
        MISFRAMED.close();
    }

    private static final String CHAT = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static String misframed(String fault, boolean stream) {
        return Http.userMessage("FAULT:" + fault, stream).replace(SluiceHarness.MODEL, MISFRAMED_MODEL);
    }

    /** OpenAI's envelope ({@code error.type}, {@code error.param}, no Anthropic {@code "type":"error"}) and our request id. */
    private static JsonNode openAiEnvelope(HttpResponse<String> resp, String type) {
        assertThat(resp.body()).doesNotContain("Exception", "\tat ");
        JsonNode body = Http.json(resp.body());
        assertThat(body.has("type")).as(resp.body()).isFalse();
        assertThat(body.path("error").path("type").asText()).as(resp.body()).isEqualTo(type);
        assertThat(body.path("error").has("param")).isTrue();
        assertThat(Http.requestId(resp)).startsWith("req_");
        return body;
    }

    /** The one attempt the request made: a broken answer, its usage flagged as not exact. */
    private static void oneBrokenAttempt(HttpResponse<String> resp) {
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), resp);
        assertThat(attempts).as(attempts.toString()).hasSize(1);
        assertThat(attempts.getFirst().path("error_type").asText()).isEqualTo("api_error");
        assertThat(attempts.getFirst().path("usage_estimated").asBoolean()).isTrue();
    }

    /**
     * A 200 stream that does not begin with {@code message_start} used to be committed: the Anthropic client got
     * {@code content_block_delta} or a bare {@code data:} line first (SDKs throw on it), the OpenAI client a 200 whose
     * only chunk was an error, and the ledger a plain success. Nothing reached the client yet, so it is a 502.
     */
    @ParameterizedTest
    @ValueSource(strings = {"no-start", "garbage"})
    void aStreamThatDoesNotOpenAMessageIsABadGatewayWithOneRecord(String fault) {
        int before = MISFRAMED.requests();
        HttpResponse<String> anthropic = Http.post(SLUICE.gatewayUrl(), "/v1/messages", misframed(fault, true));
        assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(502);
        assertThat(ErrorPathsTest.assertEnvelope(anthropic, "api_error").path("error").path("message").asText())
                .contains("message_start").doesNotContain("127.0.0.1");
        oneBrokenAttempt(anthropic);

        String chat = CHAT.replace(SluiceHarness.MODEL, MISFRAMED_MODEL).replace("\"hi\"", "\"FAULT:" + fault + "\"")
                .replace("{\"model\"", "{\"stream\":true,\"model\"");
        HttpResponse<String> openAi = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", chat);
        assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(502);
        openAiEnvelope(openAi, "api_error");
        oneBrokenAttempt(openAi);
        assertThat(MISFRAMED.requests() - before).isEqualTo(2);
    }

    /** A byte order mark before the first event is not part of the event's name (the SSE specification drops it). */
    @Test
    void aByteOrderMarkOpeningTheUpstreamsStreamIsDropped() {
        HttpResponse<String> anthropic = Http.post(SLUICE.gatewayUrl(), "/v1/messages", misframed("bom", true));
        assertThat(anthropic.statusCode()).as(anthropic.body()).isEqualTo(200);
        assertThat(anthropic.body()).doesNotContain("\uFEFF");
        assertThat(Http.names(Http.events(anthropic.body()))).startsWith("message_start").endsWith("message_stop");

        String chat = CHAT.replace(SluiceHarness.MODEL, MISFRAMED_MODEL).replace("\"hi\"", "\"FAULT:bom\"")
                .replace("{\"model\"", "{\"stream\":true,\"model\"");
        HttpResponse<String> openAi = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", chat);
        assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(200);
        // The chunks carry the message's id and role, which only its message_start says.
        assertThat(openAi.body()).contains("\"id\":\"chatcmpl-misframed\"", "\"role\":\"assistant\"", "data: [DONE]");
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), openAi);
        assertThat(attempts).hasSize(1);
        assertThat(attempts.getFirst().path("usage").path("input_tokens").asInt()).isEqualTo(10);
    }

    /**
     * The chat door read the first JSON object and ignored the rest, where the Messages door refuses it: a body that
     * two parsers may read differently never goes upstream. Whitespace after the object is fine.
     */
    @Test
    void aChatBodyWithContentAfterItsObjectIsRefused() {
        for (String tail : List.of(" xyz", "{\"model\":\"other\"}", "}")) {
            HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", CHAT + tail);
            assertThat(resp.statusCode()).as(tail).isEqualTo(400);
            assertThat(openAiEnvelope(resp, "invalid_request_error").path("error").path("message").asText())
                    .contains("content after the JSON object");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", CHAT + " \r\n\t").statusCode()).isEqualTo(200);
    }

    /**
     * A page can make the browser POST a "simple" request (a text/plain body, no header of its own) to the gateway on
     * the developer's machine without asking first. In open mode that needs no key, so it spent on the upstream's key;
     * the browser says where the request comes from, and such a request is refused before anything is forwarded.
     */
    @Test
    void aPageOfAnotherSiteCannotSpendThroughAnOpenGateway() {
        HttpResponse<String> chat = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", CHAT,
                "content-type", "text/plain;charset=UTF-8", "origin", "https://evil.example");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(403);
        assertThat(openAiEnvelope(chat, "permission_error").path("error").path("message").asText()).contains("another origin");

        HttpResponse<String> messages = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "content-type", "text/plain", "sec-fetch-site", "cross-site", "origin", "null");
        assertThat(messages.statusCode()).as(messages.body()).isEqualTo(403);
        assertThat(ErrorPathsTest.assertEnvelope(messages, "permission_error").path("error").path("message").asText())
                .contains("another site");
        HttpResponse<String> sameSite = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "sec-fetch-site", "same-site");
        assertThat(sameSite.statusCode()).as(sameSite.body()).isEqualTo(403);
        assertThat(SLUICE.recorder().received()).isEmpty();

        // Programs send neither header; a page of the gateway itself, or a request the user typed, is not another site.
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", CHAT,
                "origin", SLUICE.gatewayUrl()).statusCode()).isEqualTo(200);
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "sec-fetch-site", "none").statusCode()).isEqualTo(200);
    }

    /**
     * Two different keys in one request: which one counted depended on which copy the gateway read first, while a proxy
     * on the way may keep the other, so one caller could pass on another's check. Refused, even in open mode; the
     * same key sent twice is one credential.
     */
    @Test
    void twoDifferentKeysInOneRequestAreRefused() {
        HttpResponse<String> keys = twice("/v1/messages", Http.userMessage("hi", false), "x-api-key", "sk-one", "sk-two");
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(401);
        assertThat(ErrorPathsTest.assertEnvelope(keys, "authentication_error").path("error").path("message").asText())
                .contains("2 different x-api-key headers");
        HttpResponse<String> bearers = twice("/v1/chat/completions", CHAT, "authorization", "Bearer sk-one", "Bearer sk-two");
        assertThat(bearers.statusCode()).as(bearers.body()).isEqualTo(401);
        openAiEnvelope(bearers, "authentication_error");
        assertThat(SLUICE.recorder().received()).isEmpty();

        HttpResponse<String> same = twice("/v1/messages", Http.userMessage("hi", false), "x-api-key", "sk-same", "sk-same");
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "x-api-key", "sk-one", "authorization", "Bearer sk-two").statusCode()).isEqualTo(200);
    }

    /** A request carrying the header {@code name} twice, with these two values. */
    private static HttpResponse<String> twice(String path, String body, String name, String first, String second) {
        return Http.send(Http.request(SLUICE.gatewayUrl(), path).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .setHeader(name, first).header(name, second).build());
    }
}
