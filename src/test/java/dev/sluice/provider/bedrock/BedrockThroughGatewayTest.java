package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RawHttp.TimedEvent;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bedrock through the whole gateway (authentication, routing, the attempt loop, ledger records per attempt) to the
 * simulated Bedrock, which verifies SigV4 and speaks the binary event stream: the client sees Anthropic's wire.
 */
class BedrockThroughGatewayTest {
    private static final String SIGNED = "signed-sonnet";
    private static final String KEYED = "keyed-sonnet";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            streaming: {ping-interval: 250ms}
            upstreams:
              - name: bedrock-iam
                provider: bedrock
                base-url: ${SIM_URL}
                region: us-east-1
                inference-profile: us
                auth: sigv4
                keys:
                  - {alias: iam-a, value: "%s:%s"}
                  - {alias: iam-b, value: "%s:%s"}
              - name: bedrock-key
                provider: bedrock
                base-url: ${SIM_URL}
                region: us-west-2
                keys: [{alias: bedrock-api-key, value: ABSKc2x1aWNlLWdhdGV3YXk=}]
            routes:
              - {match: "%s", upstream: bedrock-iam, model: claude-sonnet-4-5-20250929}
              - {match: "%s", upstream: bedrock-key, model: claude-sonnet-4-5-20250929}
            """.formatted(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, BedrockSim.ACCESS_KEY_ID,
            BedrockSim.SECRET_ACCESS_KEY, SIGNED, KEYED));

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static String body(String model, boolean stream) throws Exception {
        JsonNode fixture = Http.json(new String(BedrockThroughGatewayTest.class.getResourceAsStream(
                "/providers/bedrock/request-cache-control.json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        ((com.fasterxml.jackson.databind.node.ObjectNode) fixture).put("model", model).put("stream", stream);
        return fixture.toString();
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.post(SLUICE.gatewayUrl(), path, body, "anthropic-beta", "claude-code-20250219,extended-cache-ttl-2025-04-11");
    }

    @Test
    void signedNonStreamKeepsCacheControlAndBetasAndRecordsExactUsage() throws Exception {
        String sent = body(SIGNED, false);
        HttpResponse<String> r = post("/v1/messages", sent);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("bedrock");
        JsonNode message = Http.json(r.body());
        assertThat(message.path("type").asText()).isEqualTo("message");

        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke");
        assertThat(received.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockSim.ACCESS_KEY_ID);
        assertThat(received.header("x-api-key")).isNull();
        JsonNode upstream = Http.json(received.bodyText());
        JsonNode client = Http.json(sent);
        assertThat(upstream.get("messages")).isEqualTo(client.get("messages")); // cache_control on tool_use and tool_result
        assertThat(upstream.get("tools")).isEqualTo(client.get("tools"));
        assertThat(upstream.get("system")).isEqualTo(client.get("system"));
        assertThat(upstream.has("model") || upstream.has("stream") || upstream.has("tags")).isFalse();
        assertThat(upstream.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(upstream.get("anthropic_beta").toString()).isEqualTo("[\"claude-code-20250219\",\"extended-cache-ttl-2025-04-11\"]");

        BilledUsage billed = SLUICE.recorder().billed().getLast();
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1);
        JsonNode attempt = records.path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("provider").asText()).isEqualTo("bedrock");
        assertThat(attempt.path("served_model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(attempt.path("requested_model").asText()).isEqualTo(SIGNED);
        assertThat(attempt.path("upstream_key_alias").asText()).startsWith("iam-");
        assertThat(r.headers().firstValue("x-sluice-cost-usd").orElseThrow()).isEqualTo(records.path("cost_usd").asText());
    }

    @Test
    void apiKeyStreamIsAnthropicSseWithTheGatewaysOwnPingsDuringSilences() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-event-gap-ms", "700", "x-sim-output-tokens", "2"));
        List<TimedEvent> events;
        String requestId;
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", body(KEYED, true), "anthropic-beta", "claude-code-20250219");
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(raw.header("content-type")).startsWith("text/event-stream");
            requestId = raw.header("request-id");
            events = raw.remainingEvents();
        }
        List<String> names = events.stream().map(TimedEvent::name).toList();
        assertThat(names.getFirst()).isEqualTo("message_start");
        assertThat(names.getLast()).isEqualTo("message_stop");
        assertThat(names).contains("content_block_start", "content_block_delta", "message_delta");
        // Bedrock sends no pings (the simulator leaves its ping slot silent): every ping is the gateway's.
        assertThat(names.stream().filter("ping"::equals).count()).as(names.toString()).isGreaterThanOrEqualTo(3);
        assertThat(events).allSatisfy(e -> assertThat(e.raw()).startsWith("event: " + e.name() + "\ndata: {"));

        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
        assertThat(received.header("authorization")).isEqualTo("Bearer ABSKc2x1aWNlLWdhdGV3YXk=");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId, 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("usage_estimated").asBoolean()).isFalse();
        assertThat(attempt.path("upstream_key_alias").asText()).isEqualTo("bedrock-api-key");
    }

    @Test
    void countTokensGoesThroughBedrocksCountTokensAndCostsNothing() throws Exception {
        String count = "{\"model\":\"" + SIGNED + "\",\"messages\":[{\"role\":\"user\",\"content\":\"How many tokens is this?\"}]}";
        HttpResponse<String> r = post("/v1/messages/count_tokens", count);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getLast().uri())
                .isEqualTo("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens"); // bare id: profiles are refused there
        int tokens = Http.json(r.body()).path("input_tokens").asInt();
        assertThat(tokens).isPositive();
        HttpResponse<String> message = post("/v1/messages", count.replace("\"messages\"", "\"max_tokens\":16,\"messages\""));
        assertThat(message.statusCode()).isEqualTo(200);
        assertThat(Http.json(message.body()).at("/usage/input_tokens").asInt()).isEqualTo(tokens);
        assertThat(r.headers().firstValue("x-sluice-cost-usd")).hasValue("0");
    }

    @Test
    void theSizeErrorIsRelayedAsExactlyInputIsTooLong() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "too-long"));
        HttpResponse<String> r = post("/v1/messages", body(KEYED, true));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(r.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.at("/error/message").asText()).isEqualTo("Input is too long.");
    }

    @Test
    void anAccessErrorNamingTheAccountBecomesAGenericPermissionError() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "denied"));
        HttpResponse<String> r = post("/v1/messages", body(SIGNED, false));
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode error = Http.json(r.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(error.at("/error/message").asText()).isEqualTo("Bedrock denied access to the model for the gateway's account");
        assertThat(r.body()).doesNotContain("123456789012").doesNotContain("arn:").doesNotContain("sluice-gateway");
    }

    @Test
    void bedrocksServiceUnavailableIsAn529RetriedOnTheNextKeyWithARecordPerAttempt() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "529"));
        HttpResponse<String> r = post("/v1/messages", body(SIGNED, false));
        assertThat(SLUICE.recorder().received()).hasSize(2);
        assertThat(SLUICE.recorder().received()).allSatisfy(q -> assertThat(q.header("authorization")).startsWith("AWS4-HMAC-SHA256"));
        assertThat(r.statusCode()).isEqualTo(529);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(r.headers().firstValue("x-sluice-attempts")).hasValue("2");
        JsonNode attempts = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 2)
                .path("attempts");
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.path("status").asInt()).isEqualTo(529);
            assertThat(a.path("error_type").asText()).isEqualTo("overloaded_error");
        });
        assertThat(attempts.get(0).path("upstream_key_alias").asText()).isNotEqualTo(attempts.get(1).path("upstream_key_alias").asText());
    }

    @Test
    void modelsAreListedFromTheCatalogBecauseBedrocksRuntimeHasNoListing() {
        HttpResponse<String> r = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models?limit=100").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode list = Http.json(r.body());
        assertThat(list.path("data").findValuesAsText("id")).contains("claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101");
        assertThat(list.path("data").get(0).path("type").asText()).isEqualTo("model");
        assertThat(SLUICE.recorder().received()).isEmpty();
        HttpResponse<String> one = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models/claude-haiku-4-5-20251001").GET().build());
        assertThat(Http.json(one.body()).path("display_name").asText()).isEqualTo("Claude Haiku 4.5");
    }

    @Test
    void aBedrockUpstreamWithoutARegionIsRefusedWithTheKeyNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.sluice.Gateway.check(SluiceHarness.config("""
                        upstreams: [{name: b, provider: bedrock, base-url: "http://127.0.0.1:1", keys: [{alias: k, value: ABSKx}]}]
                        """, "http://127.0.0.1:1")))
                .hasMessageContaining("upstreams[0].region: 'null' (expected: an AWS region such as us-east-1");
    }
}
