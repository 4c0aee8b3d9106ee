package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TrustAll;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vertex door on the wire, as the Anthropic Vertex SDK calls it, through the gateway to the simulated Anthropic
 * upstream: what arrives upstream is the canonical Anthropic request, the answer is Claude's own SSE or JSON with the
 * gateway's headers, the ledger prices it, and refusals come in Anthropic's envelope.
 */
class VertexDoorTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    private static final String MODELS = "/vertex/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/";
    private static final String BODY = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":64,%s"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private static HttpRequest.Builder call(String path, String body) {
        return HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "interleaved-thinking-2025-05-14")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.send(call(path, body).build());
    }

    @Test
    void aStreamedTurnArrivesCanonicalAndIsPriced() {
        HttpResponse<String> r = post(MODELS + "claude-sonnet-4-5@20250929:streamRawPredict", BODY.formatted("\"stream\":true,"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<Http.Event> events = Http.events(r.body());
        assertThat(Http.names(events)).startsWith("message_start").endsWith("message_stop");
        assertThat(events.getFirst().json().at("/message/model").asText()).isEqualTo(SluiceHarness.MODEL);

        ReceivedRequest in = SLUICE.recorder().received().getLast();
        assertThat(in.uri()).isEqualTo("/v1/messages");
        JsonNode sent = Http.json(in.bodyText());
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(sent.has("anthropic_version")).isFalse();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(in.header("anthropic-beta")).as("the beta header goes on").isEqualTo("interleaved-thinking-2025-05-14");
        assertThat(in.header("x-api-key")).isEqualTo(SluiceHarness.UPSTREAM_KEY);

        JsonNode attempt = Http.attempts(SLUICE.gatewayUrl(), r).getFirst();
        assertThat(new BigDecimal(attempt.path("cost_usd").asText())).isEqualByComparingTo(sonnetCost(attempt)).isPositive();
        assertThat(r.headers().firstValue("x-sluice-model")).contains("claude-sonnet-4-5-20250929");
    }

    @Test
    void aWholeTurnIsClaudesJsonWithTheCostHeader() {
        HttpResponse<String> r = post(MODELS + "claude-sonnet-4-5@20250929:rawPredict", BODY.formatted(""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode message = Http.json(r.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.at("/usage/output_tokens").asLong()).isPositive();
        JsonNode attempt = Http.attempts(SLUICE.gatewayUrl(), r).getFirst();
        assertThat(new BigDecimal(r.headers().firstValue("x-sluice-cost-usd").orElseThrow()))
                .isEqualByComparingTo(new BigDecimal(attempt.path("cost_usd").asText())).isEqualByComparingTo(sonnetCost(attempt));
        assertThat(Http.json(SLUICE.recorder().received().getLast().bodyText()).has("stream")).isFalse();
    }

    @Test
    void theVersionTheBodyNamesIsTheHeaderTheUpstreamSees() {
        // The Vertex SDK 1.x moves its anthropic-version header into the body and sends no header; Anthropic's API requires one.
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + MODELS
                        + "claude-sonnet-4-5@20250929:rawPredict")).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(BODY.replace("vertex-2023-10-16", "2026-10-21").formatted(""))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest in = SLUICE.recorder().received().getLast();
        assertThat(in.header("anthropic-version")).isEqualTo("2026-10-21");
        assertThat(in.header("authorization")).as("the gateway key stays at the gateway").isNull();
        assertThat(Http.json(in.bodyText()).has("anthropic_version")).isFalse();
    }

    @Test
    void theVersionBecomesAHeaderOverHttp2Too(@TempDir Path data) throws Exception {
        String tls = SluiceHarness.BASE_YAML.replace("  event-loops: 1\n", "  event-loops: 1\n  tls: {self-signed: true}\n")
                + "store: {data-dir: \"" + data + "\"}\n";
        try (SluiceHarness h = SluiceHarness.start(tls)) {
            HttpResponse<String> r = TrustAll.client().send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + MODELS
                            + "claude-sonnet-4-5@20250929:rawPredict")).version(java.net.http.HttpClient.Version.HTTP_2)
                    .header("x-api-key", SluiceHarness.GATEWAY_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(BODY.replace("vertex-2023-10-16", "2026-10-21").formatted(""))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(h.recorder().received().getLast().header("anthropic-version")).isEqualTo("2026-10-21");
        }
    }

    @Test
    void theGatewaysOwnVertexUpstreamDecidesProjectAndRegion(@TempDir Path data) {
        String vertex = """
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - name: vertex
                    provider: vertex
                    base-url: ${SIM_URL}
                    project: sluice-sim-project
                    region: us-east5
                    keys: [{alias: token, value: %s}]
                store: {data-dir: "%s"}
                """.formatted(VertexSim.STATIC_TOKEN, data);
        try (SluiceHarness h = SluiceHarness.start(vertex)) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl()
                            + "/vertex/v1/projects/clients-own-project/locations/europe-west1/publishers/anthropic/models/"
                            + "claude-sonnet-4-5@20250929:streamRawPredict")).header("x-api-key", SluiceHarness.GATEWAY_KEY)
                    .header("anthropic-version", "2023-06-01")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted("\"stream\":true,"))).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Http.names(Http.events(r.body()))).endsWith("message_stop");
            ReceivedRequest in = h.recorder().received().getLast();
            assertThat(in.uri()).isEqualTo("/v1/projects/sluice-sim-project/locations/us-east5/publishers/anthropic/models/"
                    + "claude-sonnet-4-5@20250929:streamRawPredict");
            assertThat(in.header("authorization")).isEqualTo("Bearer " + VertexSim.STATIC_TOKEN);
            assertThat(Http.json(in.bodyText()).path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        }
    }

    @Test
    void countTokensTakesTheModelFromTheBody() {
        HttpResponse<String> r = post(MODELS + "count-tokens:rawPredict", "{\"anthropic_version\":\"vertex-2023-10-16\","
                + "\"model\":\"claude-sonnet-4-5@20250929\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(r.body()).path("input_tokens").asLong()).isPositive();
        ReceivedRequest in = SLUICE.recorder().received().getLast();
        assertThat(in.uri()).isEqualTo("/v1/messages/count_tokens");
        assertThat(Http.json(in.bodyText()).path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void anUpstreams429And529KeepTheirTypeRetryHintAndTheGatewaysHeaders() {
        // The SDK retries 408, 409, 429 and 5xx unless x-should-retry says otherwise, waiting out retry-after.
        for (String fault : List.of("429", "529")) {
            HttpResponse<String> r = Http.send(call(MODELS + "claude-sonnet-4-5@20250929:rawPredict", BODY.formatted(""))
                    .header("x-sim-fault", fault).build());
            assertThat(r.statusCode()).isEqualTo(Integer.parseInt(fault));
            assertThat(r.headers().firstValue("request-id")).isPresent();
            assertThat(r.headers().firstValue("x-should-retry")).as("nothing tells the SDK not to retry").isEmpty();
            assertThat(r.headers().firstValue("x-sluice-attempts")).isPresent();
            assertThat(Http.json(r.body()).at("/error/type").asText())
                    .isEqualTo(fault.equals("429") ? "rate_limit_error" : "overloaded_error");
            if (fault.equals("429")) {
                assertThat(r.headers().firstValue("retry-after")).isPresent();
            }
        }
    }

    @Test
    void aGoogleTokenOrNoKeyIsA401ThatSaysWhatToSend() {
        HttpResponse<String> google = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + MODELS
                        + "claude-sonnet-4-5@20250929:rawPredict")).header("authorization", "Bearer ya29.a0AfB_byC-example")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(""))).build());
        assertThat(google.statusCode()).isEqualTo(401);
        assertThat(google.headers().firstValue("x-should-retry")).contains("false");
        JsonNode error = Http.json(google.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(error.at("/error/message").asText()).contains("Google OAuth access token").contains("x-api-key: <gateway key>");

        HttpResponse<String> none = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + MODELS
                + "claude-sonnet-4-5@20250929:rawPredict")).POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(""))).build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Http.json(none.body()).at("/error/message").asText()).contains("CLAUDE_CODE_SKIP_VERTEX_AUTH=1");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void anOpenGatewayPassingCallersCredentialsStillKeepsAGoogleTokenFromTheUpstream(@TempDir Path data) {
        // No gateway keys and no upstream key: the caller's own credential would go to the upstream (a local setup).
        String open = """
                server: {port: 0, event-loops: 1}
                upstreams:
                  - name: sim
                    base-url: ${SIM_URL}
                store: {data-dir: "%s"}
                """.formatted(data);
        try (SluiceHarness h = SluiceHarness.start(open)) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + MODELS
                            + "claude-sonnet-4-5@20250929:rawPredict")).header("authorization", "Bearer ya29.a0AfB_byC-example")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(""))).build());
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(Http.json(r.body()).at("/error/message").asText()).contains("Google OAuth access token");
            assertThat(h.recorder().received()).isEmpty();
        }
    }

    @Test
    void badCallsAreClear400sAnd404sInAnthropicsEnvelope() {
        HttpResponse<String> contradiction = post(MODELS + "claude-sonnet-4-5@20250929:streamRawPredict",
                BODY.formatted("\"stream\":false,"));
        assertThat(contradiction.statusCode()).isEqualTo(400);
        assertThat(Http.json(contradiction.body()).at("/error/message").asText()).contains("use :rawPredict");

        HttpResponse<String> project = post("/vertex/v1/projects/a..b%00/locations/us-east5/publishers/anthropic/models/m:rawPredict",
                BODY.formatted(""));
        assertThat(project.statusCode()).isEqualTo(400);
        assertThat(Http.json(project.body()).at("/error/message").asText()).contains("project");

        HttpResponse<String> gemini = post("/vertex/v1/projects/p/locations/us-east5/publishers/google/models/gemini-2.5-pro:generateContent", "{}");
        assertThat(gemini.statusCode()).isEqualTo(404);
        assertThat(Http.json(gemini.body()).at("/error/type").asText()).isEqualTo("not_found_error");

        HttpResponse<String> noV1 = post("/vertex/projects/p/locations/us-east5/publishers/anthropic/models/m:rawPredict", "{}");
        assertThat(noV1.statusCode()).isEqualTo(404);
        assertThat(Http.json(noV1.body()).at("/error/message").asText()).contains("ANTHROPIC_VERTEX_BASE_URL");

        HttpResponse<String> get = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + MODELS
                + "claude-sonnet-4-5@20250929:rawPredict")).header("x-api-key", SluiceHarness.GATEWAY_KEY).GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    /** Sonnet 4.5's price (per million tokens: input 3, output 15, 5-minute writes 3.75, 1-hour writes 6, reads 0.30). */
    private static BigDecimal sonnetCost(JsonNode attempt) {
        JsonNode u = attempt.path("usage");
        long micro = u.path("input_tokens").asLong() * 300 + u.path("output_tokens").asLong() * 1500
                + u.at("/cache_creation/ephemeral_5m_input_tokens").asLong() * 375
                + u.at("/cache_creation/ephemeral_1h_input_tokens").asLong() * 600
                + u.path("cache_read_input_tokens").asLong() * 30;
        return BigDecimal.valueOf(micro, 8);
    }
}
