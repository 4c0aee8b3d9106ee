package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Anthropic clients through the gateway to OpenAI-protocol upstreams (OpenAI, Azure OpenAI, a compatible server)
 * on the simulator: requests translated to chat completions, answers and streams (tool calls included) back to
 * Anthropic's wire, usage exact with cached tokens as cache reads, count_tokens a clean 501.
 */
class OpenAiThroughGatewayTest {
    /** Long enough for the simulator's prefix cache (1,024 tokens). */
    private static final String SYSTEM = "You are a careful assistant. ".repeat(200);

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: openai
                provider: openai
                base-url: ${SIM_URL}
                keys: [{alias: openai-main, value: sk-openai-test-1}]
                models: {claude-sonnet-4-5: gpt-4.1}
              - name: azure
                provider: azure-openai
                base-url: ${SIM_URL}
                api-version: 2024-10-21
                keys: [{alias: azure-key, value: azure-key-0001}]
                models: {azure-sonnet: gpt-4o}
              - name: local
                provider: openai-compatible
                base-url: ${SIM_URL}
                keys: [{alias: vllm, value: local-key}]
                headers: {HTTP-Referer: "https://sluice.example", X-Title: Sluice}
            routes:
              - {match: "azure-*", upstream: azure}
              - {match: "llama*", upstream: local}
              - {match: "*", upstream: openai}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static String body(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":300,\"stream\":" + stream + ",\"system\":" + Http.quote(SYSTEM)
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + Http.quote(text) + "}]}";
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.post(SLUICE.gatewayUrl(), path, body);
    }

    @Test
    void aMessageBecomesAChatCompletionAndTheAnswerAMessageWithCachedTokensAsCacheReads() {
        HttpResponse<String> first = post("/v1/messages", body("claude-sonnet-4-5", "first question", false));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> second = post("/v1/messages", body("claude-sonnet-4-5", "first question", false)); // same prefix
        assertThat(second.statusCode()).isEqualTo(200);

        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/v1/chat/completions");
        assertThat(received.header("authorization")).isEqualTo("Bearer sk-openai-test-1");
        assertThat(received.header("anthropic-version")).isNull();
        JsonNode chat = Http.json(received.bodyText());
        assertThat(chat.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(chat.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(chat.path("max_completion_tokens").asInt()).isEqualTo(300);

        JsonNode message = Http.json(second.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(billed.cacheReadInputTokens()).as("the simulator cached the shared prefix").isPositive();
        assertThat(message.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
        assertThat(message.at("/usage/input_tokens").asLong()).isEqualTo(billed.inputTokens());
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), second.headers().firstValue("request-id").orElseThrow(), 1)
                .path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("served_model").asText()).isEqualTo("gpt-4.1");
        assertThat(attempt.path("provider").asText()).isEqualTo("openai");
    }

    @Test
    void aStreamedToolCallArrivesAsAToolUseBlockWithItsArgumentsAsInputJsonDeltas() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "Read"));
        String request = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":300,\"stream\":true,\"tools\":[{\"name\":\"Read\","
                + "\"description\":\"Reads a file\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"file_path\":"
                + "{\"type\":\"string\"}},\"required\":[\"file_path\"]}}],\"messages\":[{\"role\":\"user\",\"content\":\"read a.txt\"}]}";
        List<RawHttp.TimedEvent> events;
        String requestId;
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", request);
            assertThat(raw.readHead()).isEqualTo(200);
            requestId = raw.header("request-id");
            events = raw.remainingEvents();
        }
        assertThat(events).extracting(RawHttp.TimedEvent::name).startsWith("message_start").endsWith("message_delta", "message_stop");
        JsonNode toolStart = events.stream().filter(e -> e.name().equals("content_block_start")).map(e -> Http.json(e.data()))
                .filter(d -> d.at("/content_block/type").asText().equals("tool_use")).findFirst().orElseThrow();
        assertThat(toolStart.at("/content_block/name").asText()).isEqualTo("Read");
        int index = toolStart.path("index").asInt();
        StringBuilder args = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta")).map(e -> Http.json(e.data()))
                .filter(d -> d.path("index").asInt() == index)
                .forEach(d -> args.append(d.at("/delta/partial_json").asText()));
        assertThat(Http.json(args.toString()).has("file_path")).as(args.toString()).isTrue();
        JsonNode delta = events.stream().filter(e -> e.name().equals("message_delta")).map(e -> Http.json(e.data())).findFirst().orElseThrow();
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("tool_use");
        JsonNode chat = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(chat.at("/stream_options/include_usage").asBoolean()).as("asked so the bill is exact").isTrue();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId, 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(SLUICE.recorder().billed().getLast()));
        assertThat(attempt.path("usage_estimated").asBoolean()).isFalse();
    }

    @Test
    void azureGetsItsDeploymentPathApiVersionAndApiKeyHeader() {
        HttpResponse<String> r = post("/v1/messages", body("azure-sonnet", "hello azure", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21");
        assertThat(received.header("api-key")).isEqualTo("azure-key-0001");
        assertThat(received.header("authorization")).isNull();
        assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("azure-openai");
    }

    @Test
    void aCompatibleServerGetsMaxTokensAndTheConfiguredHeaders() {
        HttpResponse<String> r = post("/v1/messages", body("llama3.1:8b", "hello llama", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest received = SLUICE.recorder().received().getLast();
        JsonNode chat = Http.json(received.bodyText());
        assertThat(chat.path("model").asText()).isEqualTo("llama3.1:8b");
        assertThat(chat.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(received.header("HTTP-Referer")).isEqualTo("https://sluice.example");
        assertThat(received.header("X-Title")).isEqualTo("Sluice");
    }

    @Test
    void countTokensIsACleanNotSupported() {
        HttpResponse<String> r = post("/v1/messages/count_tokens",
                "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("not_supported");
        assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(SLUICE.recorder().received()).isEmpty();
        // Nothing left the gateway, so the ledger holds no attempt for it (one record per upstream attempt).
        String id = r.headers().firstValue("request-id").orElseThrow();
        HttpResponse<String> record = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/sluice/v1/requests/" + id))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).build());
        assertThat(record.statusCode()).as(record.body()).isEqualTo(404);
    }

    @Test
    void aContextLengthErrorIsWordedAsAnthropicsSoClaudeCodeCompacts() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "too-long"));
        HttpResponse<String> r = post("/v1/messages", body("claude-sonnet-4-5", "too long", false));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(r.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.at("/error/message").asText()).isEqualTo("prompt is too long: 130517 tokens > 128000 maximum");
    }

    @Test
    void inOpenModeTheCallersCredentialNeverReachesAnOpenAiProtocolServer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) {
        String config = "server: {port: 0, event-loops: 1}\nstore: {data-dir: \"" + data + "\"}\n"
                + "upstreams: [{name: local, provider: openai-compatible, base-url: \"${SIM_URL}\"}]\n";
        try (dev.sluice.testing.SluiceHarness open = dev.sluice.testing.SluiceHarness.start(config)) {
            HttpResponse<String> r = Http.send(Http.request(open.gatewayUrl(), "/v1/messages")
                    .header("authorization", "Bearer sk-ant-oat01-the-developers-own-token")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body("llama3", "hi", false))).build());
            ReceivedRequest received = open.recorder().received().getLast();
            assertThat(received.header("authorization")).isNull();
            assertThat(received.header("x-api-key")).isNull();
            assertThat(r.body()).doesNotContain("sk-ant-oat01");
        }
    }

    @Test
    void theModelListIsTheModelMap() {
        HttpResponse<String> r = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // The listing routes by the first rule (azure-*): the names clients use for that upstream.
        assertThat(Http.json(r.body()).path("data").findValuesAsText("id")).containsExactly("azure-sonnet");
    }
}
