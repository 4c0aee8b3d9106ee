package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/responses} over raw HTTP: the pipeline's headers and ledger row, the SSE framing, refusals in
 * OpenAI's envelope before anything is forwarded, the stored-response paths it does not serve, a stream cut short, and
 * an OpenAI upstream reached through the canonical form (never sent the Responses body as a chat body).
 */
class ResponsesFrontDoorTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
              - {match: "gpt-*", upstream: openai}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpRequest.Builder openAi(String path) {
        return HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json");
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.send(openAi(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String ask(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"instructions\":\"Be brief.\",\"max_output_tokens\":64,"
                + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Say hello.\"}]}]}";
    }

    /** Each SSE frame's data; every frame is an {@code event:} line naming the data's type, then one data line. */
    private static List<JsonNode> frames(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (!frame.isBlank()) {
                String[] lines = frame.split("\n");
                JsonNode data = Http.json(lines[1].substring("data: ".length()));
                assertThat(lines[0]).isEqualTo("event: " + data.path("type").asText());
                out.add(data);
            }
        }
        return out;
    }

    @Test
    void aResponseGoesThroughThePipelineWithItsHeadersAndLedgerRow() {
        HttpResponse<String> r = post("/v1/responses", ask(SluiceHarness.MODEL, false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode response = Http.json(r.body());
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.at("/output/0/type").asText()).isEqualTo("message");
        assertThat(response.at("/output/0/content/0/type").asText()).isEqualTo("output_text");
        assertThat(r.headers().firstValue("x-sluice-provider")).contains("anthropic");
        assertThat(r.headers().firstValue("x-sluice-upstream")).contains("anthropic");
        assertThat(r.headers().firstValue("x-sluice-model")).contains(SluiceHarness.MODEL);
        assertThat(r.headers().firstValue("x-sluice-attempts")).contains("1");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(response.at("/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens());
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1);
        assertThat(GatewayCalls.usage(records.path("attempts").get(0))).isEqualTo(GatewayCalls.usage(billed));
        assertThat(records.path("cost_usd").asText()).isEqualTo(r.headers().firstValue("x-sluice-cost-usd").orElseThrow());
        assertThat(SLUICE.recorder().received().getLast().uri()).isEqualTo("/v1/messages");
    }

    @Test
    void aStreamIsServerSentEventsEndingWithTheCompletedResponse() {
        HttpResponse<String> r = post("/openai/v1/responses", ask(SluiceHarness.MODEL, true));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<JsonNode> frames = frames(r.body());
        assertThat(frames.getFirst().path("type").asText()).isEqualTo("response.created");
        assertThat(frames.getLast().path("type").asText()).isEqualTo("response.completed");
        assertThat(r.body()).doesNotContain("[DONE]");
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(frames.getLast().at("/response/usage/output_tokens").asLong()).isEqualTo(SLUICE.recorder().billed().getLast().outputTokens());
    }

    @Test
    void aRefusalIsOpenAisEnvelopeAndNothingIsForwarded() {
        int before = SLUICE.recorder().received().size();
        HttpResponse<String> r = post("/v1/responses", "{\"model\":\"" + SluiceHarness.MODEL + "\",\"input\":\"Hi\",\"previous_response_id\":\"resp_1\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo("previous_response_id");
        assertThat(error.path("message").asText()).contains("send the whole conversation in input");

        HttpResponse<String> unauthorized = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/responses"))
                .POST(HttpRequest.BodyPublishers.ofString(ask(SluiceHarness.MODEL, false))).build());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(Http.json(unauthorized.body()).at("/error/message").asText()).contains("Authorization: Bearer");
        assertThat(SLUICE.recorder().received()).hasSize(before);
    }

    @Test
    void storedResponsePathsAreNotServedInOpenAisEnvelope() {
        HttpResponse<String> get = Http.send(openAi("/v1/responses/resp_123").GET().build());
        assertThat(get.statusCode()).isEqualTo(501);
        assertThat(Http.json(get.body()).at("/error/message").asText()).contains("stores no responses");
        HttpResponse<String> cancel = post("/openai/v1/responses/resp_123/cancel", "{}");
        assertThat(cancel.statusCode()).isEqualTo(501);
        assertThat(Http.json(cancel.body()).at("/error/code").asText()).isEqualTo("not_supported");
        assertThat(Http.send(openAi("/v1/responses").GET().build()).statusCode()).isEqualTo(405);
    }

    @Test
    void aStreamCutShortEndsWithAFailedResponse() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "cut:5", "x-sim-output-tokens", "30"));
        HttpResponse<String> r = post("/v1/responses", ask(SluiceHarness.MODEL, true));
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> frames = frames(r.body());
        JsonNode last = frames.getLast();
        assertThat(last.path("type").asText()).isEqualTo("response.failed");
        assertThat(last.at("/response/status").asText()).isEqualTo("failed");
        assertThat(last.at("/response/error/code").asText()).isEqualTo("server_error");
        assertThat(last.path("sequence_number").asInt()).isEqualTo(frames.size() - 1);
    }

    @Test
    void anOpenAiUpstreamGetsATranslatedChatCompletionNotTheResponsesBody() {
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = post("/v1/responses", ask("gpt-4.1", stream));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ReceivedRequest received = SLUICE.recorder().received().getLast();
            assertThat(received.uri()).isEqualTo("/v1/chat/completions");
            JsonNode sent = Http.json(received.bodyText());
            assertThat(sent.has("input")).isFalse();
            assertThat(sent.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(sent.at("/messages/1/role").asText()).isEqualTo("user");
            JsonNode response = stream ? frames(r.body()).getLast().path("response") : Http.json(r.body());
            assertThat(response.path("status").asText()).isEqualTo("completed");
            assertThat(response.at("/output/0/content/0/text").asText()).isNotBlank();
            assertThat(response.at("/usage/output_tokens").asLong()).isEqualTo(SLUICE.recorder().billed().getLast().outputTokens());
        }
    }
}
