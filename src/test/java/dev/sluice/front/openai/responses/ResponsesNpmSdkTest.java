package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.NpmPackage;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm SDK's Responses API (installed from {@code src/test/npm}) through the gateway to an
 * Anthropic upstream: create (with the SDK's {@code output_text}), a raw event stream, the SDK's stream helper
 * assembling a function call, and the call's output sent back. Usage the SDK read equals what the simulator billed, as
 * does the ledger.
 */
class ResponsesNpmSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML);

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private JsonNode run(String step, Map<String, String> extra) throws Exception {
        Path module = NpmPackage.require("openai");
        Path script = work.resolve("openai-responses.cjs");
        try (var in = ResponsesNpmSdkTest.class.getResourceAsStream("/npm/openai-responses.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        Map<String, String> env = new HashMap<>(Map.of("OPENAI_MODULE", module.toString(),
                "OPENAI_BASE_URL", SLUICE.gatewayUrl() + "/v1", "OPENAI_API_KEY", SluiceHarness.GATEWAY_KEY,
                "MODEL", SluiceHarness.MODEL, "STEP", step));
        env.putAll(extra);
        NpmPackage.Run r = NpmPackage.run(script, work, env, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Http.json(r.stdout());
    }

    private static void assertUsage(JsonNode usage, BilledUsage billed) {
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(billed.totalInputTokens());
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(billed.outputTokens()).isPositive();
        assertThat(usage.at("/input_tokens_details/cached_tokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
    }

    @Test
    void createGivesAResponseWithExactUsageAndTheLedgerAgrees() throws Exception {
        JsonNode out = run("create", Map.of());
        JsonNode response = out.path("response");
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(out.path("outputText").asText()).isNotBlank().isEqualTo(response.at("/output/0/content/0/text").asText());
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertUsage(response.path("usage"), billed);
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
    }

    @Test
    void aStreamsDeltasAddUpToTheCompletedResponse() throws Exception {
        JsonNode out = run("stream", Map.of());
        assertThat(out.at("/types/0").asText()).isEqualTo("response.created");
        assertThat(out.path("types").get(out.path("types").size() - 1).asText()).isEqualTo("response.completed");
        assertThat(out.path("text").asText()).isNotBlank().isEqualTo(out.at("/final/output/0/content/0/text").asText());
        assertUsage(out.at("/final/usage"), SLUICE.recorder().billed().getLast());
    }

    @Test
    void aStreamedFunctionCallAndItsOutput() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather"));
        JsonNode out = run("tools", Map.of());
        JsonNode call = null;
        for (JsonNode item : out.path("output")) {
            call = item.path("type").asText().equals("function_call") ? item : call;
        }
        assertThat(call).isNotNull();
        assertThat(call.path("name").asText()).isEqualTo("get_weather");
        assertThat(Http.json(call.path("arguments").asText()).has("city")).isTrue();
        assertThat(out.path("deltas").size()).isPositive();

        SLUICE.harness().sim().standingDirectives(Map.of());
        JsonNode answer = run("tool-result", Map.of("HISTORY", out.path("output").toString(), "CALL_ID", call.path("call_id").asText()));
        assertThat(answer.path("outputText").asText()).isNotBlank();
        assertUsage(answer.at("/response/usage"), SLUICE.recorder().billed().getLast());
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        JsonNode results = sent.path("messages").get(sent.path("messages").size() - 1).path("content");
        assertThat(results.at("/0/type").asText()).isEqualTo("tool_result");
        assertThat(results.at("/0/tool_use_id").asText()).isEqualTo(call.path("call_id").asText());
    }

    /**
     * Codex's reasoning settings through the SDK's stream helper: the reasoning item assembled from its summary events
     * with its encrypted content, then sent back as the SDK gave it with the call's output; the simulator, strict as
     * Anthropic about a tool loop's thinking block, gets the signed block back before the call.
     */
    @Test
    void aReasoningItemStreamedAndSentBack() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once", "x-sim-thinking-loop", "strict"));
        JsonNode out = run("reasoning", Map.of());
        JsonNode reasoning = out.path("output").get(0);
        assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
        StringBuilder deltas = new StringBuilder();
        out.path("summaryDeltas").forEach(d -> deltas.append(d.asText()));
        assertThat(reasoning.at("/summary/0/text").asText()).isNotBlank().isEqualTo(deltas.toString());
        assertThat(reasoning.path("encrypted_content").asText()).isNotBlank();
        assertThat(out.path("types").toString()).contains("response.reasoning_summary_part.added", "response.reasoning_summary_part.done");
        assertThat(out.at("/usage/output_tokens_details/reasoning_tokens").asInt()).isZero();
        JsonNode call = out.path("output").get(1);
        assertThat(call.path("type").asText()).isEqualTo("function_call");

        JsonNode answer = run("reasoning-result", Map.of("HISTORY", out.path("output").toString(), "CALL_ID", call.path("call_id").asText()));
        assertThat(answer.path("outputText").asText()).contains("Sunny, 21C");
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/thinking/type").asText()).isEqualTo("enabled");
        assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("thinking");
        assertThat(sent.at("/messages/1/content/0/thinking").asText()).isEqualTo(deltas.toString());
        assertThat(sent.at("/messages/1/content/1/type").asText()).isEqualTo("tool_use");
    }
}
