package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.MODEL;
import static dev.sluice.sim.SimHarness.json;
import static dev.sluice.sim.SimHarness.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessagesApiTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.recorder().clear();
    }

    @Test
    void nonStreamMessageHasTheRealShapeAndExactUsage() {
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("Hello there", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode message = json(response.body());
        assertThat(message.path("id").asText()).startsWith("msg_01").hasSize(28);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("model").asText()).isEqualTo(MODEL);
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.get("stop_sequence").isNull()).isTrue();
        assertThat(message.path("content")).hasSize(1);
        String text = message.path("content").path(0).path("text").asText();
        assertThat(message.path("content").path(0).path("type").asText()).isEqualTo("text");
        assertThat(text.split(" ")).hasSize(40);
        assertThat(Tokenizer.count(text)).isEqualTo(40);

        JsonNode usage = message.path("usage");
        assertThat(usage.path("input_tokens").asInt()).isEqualTo(3); // "Hello there" = 11 bytes
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(40);
        assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
        assertThat(usage.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").isInt()).isTrue();
        assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").isInt()).isTrue();
        assertThat(usage.path("service_tier").asText()).isEqualTo("standard");

        BilledUsage billed = sim.awaitBilled(b -> message.path("id").asText().equals(b.messageId()));
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.COMPLETED);
        assertThat(billed.inputTokens()).isEqualTo(3);
        assertThat(billed.outputTokens()).isEqualTo(40);
        assertThat(billed.upstreamKey()).isEqualTo(SimHarness.API_KEY);
        assertThat(billed.requestId()).isEqualTo(response.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void responsesCarryTheAccountHeadersAGatewayMustStrip() {
        HttpResponse<String> response = sim.post("/v1/messages?beta=true", userMessage("hi", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("request-id").orElseThrow()).startsWith("req_");
        assertThat(response.headers().firstValue("anthropic-organization-id")).isPresent();
        for (String kind : new String[] {"requests", "tokens", "input-tokens", "output-tokens"}) {
            assertThat(response.headers().firstValue("anthropic-ratelimit-" + kind + "-limit")).isPresent();
            assertThat(response.headers().firstValue("anthropic-ratelimit-" + kind + "-remaining")).isPresent();
            assertThat(response.headers().firstValue("anthropic-ratelimit-" + kind + "-reset").orElseThrow())
                    .endsWith("Z");
        }
    }

    @Test
    void outputTokensFollowTheHeaderAndStopAtMaxTokens() {
        JsonNode seven = json(sim.post("/v1/messages", userMessage("hi", false), SimHeaders.OUTPUT_TOKENS, "7").body());
        assertThat(seven.path("usage").path("output_tokens").asInt()).isEqualTo(7);
        assertThat(Tokenizer.count(seven.path("content").path(0).path("text").asText())).isEqualTo(7);
        assertThat(seven.path("stop_reason").asText()).isEqualTo("end_turn");

        String capped = """
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""";
        JsonNode five = json(sim.post("/v1/messages", capped).body());
        assertThat(five.path("usage").path("output_tokens").asInt()).isEqualTo(5);
        assertThat(five.path("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void thinkingRequestsGetASignedThinkingBlockFirst() {
        String body = """
                {"model":"m","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},
                 "messages":[{"role":"user","content":"think"}]}""";
        JsonNode message = json(sim.post("/v1/messages", body, SimHeaders.OUTPUT_TOKENS, "20").body());

        assertThat(message.path("content").path(0).path("type").asText()).isEqualTo("thinking");
        assertThat(message.path("content").path(0).path("signature").asText()).isNotEmpty();
        assertThat(message.path("content").path(1).path("type").asText()).isEqualTo("text");
        int thinking = Tokenizer.count(message.path("content").path(0).path("thinking").asText());
        int text = Tokenizer.count(message.path("content").path(1).path("text").asText());
        assertThat(thinking).isEqualTo(5);
        assertThat(thinking + text).isEqualTo(20);
        assertThat(message.path("usage").path("output_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void missingCredentialIsAnAuthenticationError() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.server.baseUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(userMessage("hi", false))).build();
        HttpResponse<String> response = sim.send(request);

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = json(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(error.path("error").path("message").asText()).isEqualTo("invalid x-api-key");
        assertThat(error.path("request_id").asText()).startsWith("req_");
        assertThat(sim.recorder().billed()).singleElement()
                .satisfies(b -> {
                    assertThat(b.outcome()).isEqualTo(BilledUsage.Outcome.REJECTED);
                    assertThat(b.status()).isEqualTo(401);
                    assertThat(b.totalInputTokens() + b.outputTokens()).isZero();
                });
    }

    @Test
    void bearerTokenIsTheUpstreamKeyWhenPresent() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.server.baseUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01")
                .header("x-api-key", "the-api-key")
                .header("Authorization", "Bearer the-oauth-token")
                .POST(HttpRequest.BodyPublishers.ofString(userMessage("hi", false))).build();

        assertThat(sim.send(request).statusCode()).isEqualTo(200);
        assertThat(sim.recorder().received()).singleElement()
                .extracting(ReceivedRequest::upstreamKey).isEqualTo("the-oauth-token");
    }

    @Test
    void missingVersionHeaderIsRejected() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.server.baseUrl() + "/v1/messages"))
                .header("x-api-key", "k")
                .POST(HttpRequest.BodyPublishers.ofString(userMessage("hi", false))).build();
        HttpResponse<String> response = sim.send(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText()).contains("anthropic-version");
    }

    @Test
    void invalidBodiesGetHelpfulInvalidRequestErrors() {
        assertInvalid("{not json", "not valid JSON");
        assertInvalid("{\"model\":\"m\",\"max_tokens\":10,\"temperature\":" + "9".repeat(2_000) + "}", "not valid JSON"); // a limit: no location
        assertInvalid("[1,2]", "expected a JSON object, got array");
        assertInvalid("{\"max_tokens\":10,\"messages\":[]}", "model: Field required");
        assertInvalid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "max_tokens: Field required");
        assertInvalid("{\"model\":\"m\",\"max_tokens\":\"lots\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "max_tokens: expected an integer >= 1, got \"lots\"");
        assertInvalid("{\"model\":\"m\",\"max_tokens\":10}", "messages: Field required");
        assertInvalid("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
                "messages.0.role: \"robot\"");
        assertInvalid("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":"2h"}}]}]}""",
                "messages.0.content.0.cache_control.ttl: \"2h\"");
    }

    private static void assertInvalid(String body, String expectedMessagePart) {
        HttpResponse<String> response = sim.post("/v1/messages", body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        JsonNode error = json(response.body());
        assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("error").path("message").asText()).contains(expectedMessagePart);
    }

    @Test
    void systemRoleMessagesNeedTheMidConversationSystemBeta() {
        String body = """
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},
                  {"role":"system","content":"be brief"}]}""";
        HttpResponse<String> withoutBeta = sim.post("/v1/messages", body);
        assertThat(withoutBeta.statusCode()).isEqualTo(400);
        assertThat(json(withoutBeta.body()).path("error").path("message").asText()).contains("Unexpected role \"system\"");

        HttpResponse<String> withBeta = sim.post("/v1/messages", body,
                "anthropic-beta", "claude-code-20250219,mid-conversation-system-2026-04-07");
        assertThat(withBeta.statusCode()).isEqualTo(200);
        assertThat(json(withBeta.body()).path("usage").path("input_tokens").asInt())
                .isEqualTo(Tokenizer.count("hi") + Tokenizer.count("be brief"));
    }

    @Test
    void unknownPathIsANotFoundEnvelope() {
        HttpResponse<String> response = sim.post("/v2/messages", userMessage("hi", false));

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = json(response.body());
        assertThat(error.path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(error.path("error").path("message").asText()).contains("/v2/messages");
    }

    @Test
    void reachabilityProbesAnswer200() {
        for (String path : new String[] {"/", "/api/hello"}) {
            HttpRequest head = HttpRequest.newBuilder(URI.create(sim.server.baseUrl() + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            assertThat(sim.send(head).statusCode()).as(path).isEqualTo(200);
        }
    }
}
