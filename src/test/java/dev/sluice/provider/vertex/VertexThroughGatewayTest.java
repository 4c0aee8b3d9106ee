package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vertex AI through the whole gateway to the simulated Vertex: a regional upstream whose OAuth tokens come from a
 * service account through the simulator's Google token endpoint, and a global one with a given token.
 */
class VertexThroughGatewayTest {
    private static final String PROJECT = "sluice-sim-project";
    private static final String CONFIG = """
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: vertex-global
                provider: vertex
                base-url: ${SIM_URL}
                project: %s
                region: global
                keys: [{alias: given-token, value: %s}]
            %s
            routes:
              - {match: "global-sonnet", upstream: vertex-global, model: claude-sonnet-4-5-20250929}
              - {match: "*", upstream: %s, model: claude-sonnet-4-5-20250929}
            """;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(CONFIG.formatted(PROJECT, VertexSim.STATIC_TOKEN, "", "vertex-global"));

    @TempDir
    static Path dir;
    private static String fullConfig;

    /** The service account's token_uri must name the simulator, whose port is known only now: applied as a reload. */
    @BeforeAll
    static void addServiceAccountUpstream() throws Exception {
        Path key = dir.resolve("sa.json");
        Files.writeString(key, VertexSim.serviceAccountJson(SLUICE.simUrl(), PROJECT));
        fullConfig = CONFIG.formatted(PROJECT, VertexSim.STATIC_TOKEN, """
                  - name: vertex-east
                    provider: vertex
                    base-url: ${SIM_URL}
                    project: %s
                    region: us-east5
                    credentials-file: %s
                """.formatted(PROJECT, key), "vertex-east");
        SLUICE.harness().gateway().live().apply(fullConfig, "test.yaml", "test", "test");
    }

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static String body(String model, boolean stream) throws Exception {
        ObjectNode fixture = (ObjectNode) Http.json(new String(VertexThroughGatewayTest.class.getResourceAsStream(
                "/providers/bedrock/request-cache-control.json").readAllBytes(), StandardCharsets.UTF_8));
        fixture.remove("tags");
        return fixture.put("model", model).put("stream", stream).toString();
    }

    private static HttpResponse<String> post(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "anthropic-beta";
        all[1] = "claude-code-20250219,extended-cache-ttl-2025-04-11";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return Http.post(SLUICE.gatewayUrl(), path, body, all);
    }

    private static List<ReceivedRequest> predictions() {
        return SLUICE.recorder().received().stream().filter(r -> !r.uri().equals("/token")).toList();
    }

    @Test
    void serviceAccountTokensFromTheTokenEndpointAndARegionalRawPredictWithEverythingIntact() throws Exception {
        String sent = body("sonnet", false);
        HttpResponse<String> r = post("/v1/messages", sent);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("vertex");
        ReceivedRequest received = predictions().getLast();
        assertThat(received.uri()).isEqualTo("/v1/projects/" + PROJECT
                + "/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict");
        assertThat(received.header("authorization")).startsWith("Bearer ya29.sim-");
        assertThat(received.header("anthropic-beta")).isEqualTo("claude-code-20250219,extended-cache-ttl-2025-04-11");
        JsonNode upstream = Http.json(received.bodyText());
        JsonNode client = Http.json(sent);
        assertThat(upstream.has("model")).isFalse();
        assertThat(upstream.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(upstream.get("messages")).isEqualTo(client.get("messages"));
        assertThat(upstream.get("tools")).isEqualTo(client.get("tools"));
        assertThat(upstream.get("system")).isEqualTo(client.get("system"));

        BilledUsage billed = SLUICE.recorder().billed().getLast();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1)
                .path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("provider").asText()).isEqualTo("vertex");
    }

    @Test
    void theTokenIsFetchedOnceAndSurvivesAReloadOfTheSameCredentials() throws Exception {
        assertThat(post("/v1/messages", body("sonnet", false)).statusCode()).isEqualTo(200); // a token is at hand now
        SLUICE.recorder().clear();
        for (int i = 0; i < 3; i++) {
            assertThat(post("/v1/messages", body("sonnet", false)).statusCode()).isEqualTo(200);
        }
        SLUICE.harness().gateway().live().apply(fullConfig, "test.yaml", "test", "reload");
        assertThat(post("/v1/messages", body("sonnet", false)).statusCode()).isEqualTo(200);
        assertThat(SLUICE.recorder().received()).extracting(ReceivedRequest::uri).doesNotContain("/token").hasSize(4);
    }

    @Test
    void aStreamOnTheGlobalEndpointWithAGivenTokenIsRelayedEventByEvent() throws Exception {
        String requestId;
        List<RawHttp.TimedEvent> events;
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", body("global-sonnet", true), "anthropic-beta", "claude-code-20250219",
                    "x-sim-output-tokens", "5");
            assertThat(raw.readHead()).isEqualTo(200);
            requestId = raw.header("request-id");
            events = raw.remainingEvents();
        }
        assertThat(events).extracting(RawHttp.TimedEvent::name).startsWith("message_start").endsWith("message_stop");
        ReceivedRequest received = predictions().getLast();
        assertThat(received.uri()).isEqualTo("/v1/projects/" + PROJECT
                + "/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
        assertThat(received.header("authorization")).isEqualTo("Bearer " + VertexSim.STATIC_TOKEN);
        assertThat(Http.json(received.bodyText()).path("stream").asBoolean()).isTrue();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId, 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(SLUICE.recorder().billed().getLast()));
        assertThat(attempt.path("upstream_key_alias").asText()).isEqualTo("given-token");
    }

    @Test
    void countTokensUsesVertexsCountTokensWithTheModelInTheBody() {
        HttpResponse<String> r = post("/v1/messages/count_tokens",
                "{\"model\":\"sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Count me, please.\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(r.body()).path("input_tokens").asInt()).isPositive();
        ReceivedRequest received = predictions().getLast();
        assertThat(received.uri()).endsWith("/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict");
        assertThat(Http.json(received.bodyText()).path("model").asText()).isEqualTo("claude-sonnet-4-5@20250929");
    }

    @Test
    void googlesPermissionErrorLosesTheProjectAndTheSizeErrorKeepsItsCounts() throws Exception {
        HttpResponse<String> denied = post("/v1/messages", body("sonnet", false), "x-sim-fault", "denied");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(Http.json(denied.body()).at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(denied.body()).doesNotContain(PROJECT).doesNotContain("projects/");

        HttpResponse<String> tooLong = post("/v1/messages", body("sonnet", false), "x-sim-fault", "too-long");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(Http.json(tooLong.body()).at("/error/message").asText()).isEqualTo("prompt is too long: 212345 tokens > 200000 maximum");

        HttpResponse<String> overloaded = post("/v1/messages", body("sonnet", false), "x-sim-fault", "529");
        assertThat(overloaded.statusCode()).isEqualTo(529);
        assertThat(overloaded.headers().firstValue("x-sluice-attempts")).hasValue("2");
    }

    @Test
    void aVertexUpstreamNeedsEitherCredentialsOrTokensNotBoth() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SLUICE.harness().gateway().live().apply("""
                        upstreams: [{name: v, provider: vertex, project: p-1234, region: us-east5}]
                        """, "bad.yaml", "test", "test"))
                .hasMessageContaining("upstreams[0].credentials-file: 'null' (expected: either a Google credentials file");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SLUICE.harness().gateway().live().apply("""
                        upstreams: [{name: v, provider: vertex, project: p-1234, region: "us east", keys: [{alias: t, value: x}]}]
                        """, "bad.yaml", "test", "test"))
                .hasMessageContaining("region: 'us east'");
    }
}
