package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.NodeClientScript;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript SDK ({@code @anthropic-ai/sdk}, from {@code src/test/npm}) through the Anthropic door: a
 * message with its usage and request id, the stream helper, the SDK's own tool runner looping to the answer,
 * {@code messages.parse} with a zod output format (on Claude and on an OpenAI model), token counting, an abort mid-stream, and its retries, which obey
 * {@code retry-after} and {@code x-should-retry}.
 */
class AnthropicTsSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
              - name: openai
                provider: openai
                base-url: ${SIM_URL}
                keys: [{alias: openai-main, value: sk-openai-test-1}]
                models: {claude-gpt: gpt-4.1}
            routes:
              - {match: "claude-gpt", upstream: openai}
              - {match: "*", upstream: sim}
            """);

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private JsonNode run(String step, Map<String, String> env) throws Exception {
        NodeClientScript script = new NodeClientScript("anthropic-sdk.cjs", work, SLUICE.gatewayUrl(), "zod", "@anthropic-ai/sdk");
        Map<String, String> all = new HashMap<>(env);
        all.put("STEP", step);
        return script.run(all);
    }

    @Test
    void aMessageAndAStreamWithTheUsageTheSimulatorBilled() throws Exception {
        JsonNode created = run("create", Map.of());
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(created.at("/message/usage/input_tokens").asLong()).isEqualTo(billed.inputTokens());
        assertThat(created.at("/message/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens());
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), created.path("requestId").asText(), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(created.at("/calls/0/headers/x-sluice-cost-usd").asText()).isEqualTo(attempt.path("cost_usd").asText());

        JsonNode streamed = run("stream", Map.of());
        assertThat(streamed.path("deltas").asInt()).isGreaterThan(3);
        assertThat(streamed.at("/message/stop_reason").asText()).isEqualTo("end_turn");
        assertThat(streamed.at("/message/usage/output_tokens").asLong()).isEqualTo(SLUICE.recorder().billed().getLast().outputTokens());
    }

    @Test
    void theToolRunnerLoopsToTheAnswer() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once"));
        JsonNode messages = run("tools", Map.of()).path("messages");
        assertThat(messages.size()).as(messages.toString()).isEqualTo(2);
        assertThat(messages.at("/0/stop_reason").asText()).isEqualTo("tool_use");
        assertThat(messages.at("/0/content/0/name").asText()).isEqualTo("get_weather");
        assertThat(messages.at("/1/stop_reason").asText()).isEqualTo("end_turn");
        assertThat(messages.at("/1/content/0/text").asText()).contains("Sunny, 21C");
        assertThat(SLUICE.recorder().billed()).hasSize(2);
    }

    @Test
    void parseWithAZodOutputFormatAndCountTokens() throws Exception {
        JsonNode parsed = run("parse", Map.of());
        assertThat(parsed.at("/parsed/city").asText()).as(parsed.toString()).isEqualTo("sim");
        assertThat(parsed.at("/parsed/sunny").asBoolean()).isTrue();

        // The same call served by an OpenAI model: the format goes as its response_format, and the answer still parses.
        JsonNode onOpenAi = run("parse", Map.of("MODEL", "claude-gpt"));
        assertThat(onOpenAi.at("/parsed/city").asText()).as(onOpenAi.toString()).isEqualTo("sim");
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/response_format/json_schema/schema/required").toString()).as(sent.toString()).contains("city");

        JsonNode count = run("count", Map.of());
        assertThat(count.at("/count/input_tokens").asLong()).isPositive();
    }

    @Test
    void anAbortMidStreamLeavesOneRecordFlaggedAsTheClientLeaving() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tokens-per-second", "200", "x-sim-output-tokens", "300"));
        JsonNode out = run("abort", Map.of());
        assertThat(out.path("aborted").asBoolean()).as(out.toString()).isTrue();
        String id = out.at("/calls/0/headers/x-sluice-request-id").asText();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), id, 1).path("attempts").get(0);
        assertThat(attempt.path("error_type").asText()).isEqualTo("client_closed");
    }

    @Test
    void itsRetriesFollowRetryAfterAndStopAtXShouldRetryFalse() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "429"));
        JsonNode limited = run("retry", Map.of("MAX_RETRIES", "1"));
        assertThat(limited.path("name").asText()).isEqualTo("RateLimitError");
        assertThat(limited.path("calls").size()).isEqualTo(2);
        assertThat(limited.at("/calls/0/headers/retry-after").asText()).isNotBlank();

        // A key the gateway does not know: one call, never retried, whatever MAX_RETRIES says.
        SLUICE.harness().sim().standingDirectives(Map.of());
        int before = SLUICE.recorder().received().size();
        JsonNode refused = run("retry", Map.of("MAX_RETRIES", "2", "API_KEY", "sk-not-a-gateway-key"));
        assertThat(refused.path("name").asText()).isEqualTo("AuthenticationError");
        assertThat(refused.path("calls").size()).isEqualTo(1);
        assertThat(refused.at("/calls/0/headers/x-should-retry").asText()).isEqualTo("false");
        assertThat(SLUICE.recorder().received()).hasSize(before);
    }
}
