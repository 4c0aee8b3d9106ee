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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LangChain JS ({@code @langchain/anthropic}'s ChatAnthropic, {@code @langchain/openai}'s ChatOpenAI on chat completions
 * and on the Responses API, from {@code src/test/npm}) through the gateway to a Claude upstream: a streamed answer with
 * its usage, the {@code bindTools} agent loop with {@code ToolMessage}s, {@code withStructuredOutput}, a
 * {@code cache_control} mark on a system block, an image, an abort mid-stream and the SDK retries underneath.
 */
class LangChainJsTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML);

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private JsonNode run(String door, String step, Map<String, String> env) throws Exception {
        // ChatAnthropic takes the API's root (it adds /v1), ChatOpenAI the root of its paths.
        String base = SLUICE.gatewayUrl() + (door.equals("anthropic") ? "" : "/v1");
        NodeClientScript script = new NodeClientScript("langchain.cjs", work, base,
                "zod", "@langchain/core", "@langchain/anthropic", "@langchain/openai");
        Map<String, String> all = new HashMap<>(env);
        all.put("DOOR", door);
        all.put("STEP", step);
        return script.run(all);
    }

    private static String requestId(JsonNode call) {
        return call.at("/headers/x-sluice-request-id").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aStreamedAnswerWithTheUsageTheSimulatorBilled(String door) throws Exception {
        JsonNode out = run(door, "stream", Map.of());
        assertThat(out.path("text").asText()).isNotBlank();
        assertThat(out.path("chunks").asInt()).isGreaterThan(3);
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(out.at("/usage/input_tokens").asLong()).isEqualTo(billed.totalInputTokens());
        // ChatAnthropic adds message_start's placeholder output count (1, as the API sends it) to the final one; the
        // gateway relays the Anthropic stream byte for byte, so this is the library's own sum.
        long libraryExtra = door.equals("anthropic") ? 1 : 0;
        assertThat(out.at("/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens() + libraryExtra);
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId(out.at("/calls/0")), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void theBindToolsLoopSendsToolMessagesBackAndEndsWithTheAnswer(String door) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once"));
        JsonNode turns = run(door, "tools", Map.of()).path("turns");
        assertThat(turns.size()).as(turns.toString()).isEqualTo(2);
        assertThat(turns.at("/0/toolCalls/0/name").asText()).isEqualTo("get_weather");
        assertThat(turns.at("/0/toolCalls/0/args/city").isTextual()).isTrue();
        assertThat(turns.at("/1/toolCalls").isEmpty()).isTrue();
        assertThat(turns.at("/1/text").asText()).contains("Sunny, 21C");
        List<BilledUsage> billed = SLUICE.recorder().billed();
        assertThat(billed).hasSize(2);
        assertThat(turns.at("/1/usage/input_tokens").asLong()).isEqualTo(billed.get(1).totalInputTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void withStructuredOutputGetsTheObject(String door) throws Exception {
        // ChatAnthropic forces a tool; ChatOpenAI sends a json_schema response format, Claude's structured output here.
        JsonNode out = run(door, "structured", Map.of());
        assertThat(out.at("/parsed/city").asText()).as(out.toString()).isEqualTo("sim");
        assertThat(out.at("/parsed/temperature").isNumber()).isTrue();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(door.equals("anthropic") ? sent.at("/tool_choice/name").asText() : sent.at("/output_config/format/type").asText())
                .isEqualTo(door.equals("anthropic") ? "weather" : "json_schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "openai-responses"})
    void withStructuredOutputByFunctionCallingOnTheOpenAiDoor(String door) throws Exception {
        JsonNode out = run(door, "structured", Map.of("METHOD", "functionCalling"));
        assertThat(out.at("/parsed/city").asText()).as(out.toString()).isEqualTo("sim");
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/tool_choice/type").asText()).isEqualTo("tool");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aCacheControlMarkOnASystemBlockIsReportedAsWrittenThenRead(String door) throws Exception {
        SLUICE.harness().sim().clearPromptCache();
        JsonNode out = run(door, "cache", Map.of());
        List<BilledUsage> billed = SLUICE.recorder().billed();
        assertThat(billed.get(0).cacheCreationInputTokens()).isPositive();
        assertThat(billed.get(1).cacheReadInputTokens()).isPositive();
        for (int i = 0; i < 2; i++) {
            JsonNode usage = out.path(i == 0 ? "first" : "second");
            assertThat(usage.path("input_tokens").asLong()).as(usage.toString()).isEqualTo(billed.get(i).totalInputTokens());
            assertThat(usage.at("/input_token_details/cache_read").asLong()).isEqualTo(billed.get(i).cacheReadInputTokens());
            assertThat(usage.at("/input_token_details/cache_creation").asLong()).as(usage.toString())
                    .isEqualTo(billed.get(i).cacheCreationInputTokens());
        }
        // The mark itself reaches Claude from ChatAnthropic and from ChatOpenAI on chat completions; on the Responses API
        // the gateway places breakpoints itself (AutoBreakpointStage), which the counts above show.
        if (!door.equals("openai-responses")) {
            JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
            assertThat(sent.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aBase64ImageReachesTheModelAsAnImageBlock(String door) throws Exception {
        JsonNode out = run(door, "image", Map.of());
        assertThat(out.path("text").asText()).isNotBlank();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        JsonNode image = sent.at("/messages/0/content/1");
        assertThat(image.path("type").asText()).isEqualTo("image");
        assertThat(image.at("/source/type").asText()).isEqualTo("base64");
        assertThat(image.at("/source/media_type").asText()).isEqualTo("image/png");
        assertThat(out.at("/usage/input_tokens").asLong()).isEqualTo(SLUICE.recorder().billed().getLast().totalInputTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void anAbortMidStreamLeavesOneRecordFlaggedAsTheClientLeaving(String door) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tokens-per-second", "200", "x-sim-output-tokens", "300"));
        JsonNode out = run(door, "abort", Map.of());
        assertThat(out.path("aborted").asBoolean()).as(out.toString()).isTrue();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId(out.at("/calls/0")), 1).path("attempts").get(0);
        assertThat(attempt.path("error_type").asText()).isEqualTo("client_closed");
    }

    @ParameterizedTest
    @CsvSource({"anthropic,error-event:6", "anthropic,cut:8", "openai-chat,error-event:6", "openai-chat,cut:8",
            "openai-responses,error-event:6", "openai-responses,cut:8"})
    void aStreamBrokenOffMidwayIsAnErrorForTheCaller(String door, String fault) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", fault));
        JsonNode out = run(door, "broken", Map.of());
        assertThat(out.path("text").asText()).as(out.toString()).isNotBlank();
        assertThat(out.path("error").isObject()).as(out.toString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void theUnderlyingSdkRetriesA529AsTheGatewaySays(String door) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "529"));
        JsonNode out = run(door, "retry", Map.of("MAX_RETRIES", "1"));
        assertThat(out.path("ok").asBoolean()).isFalse();
        assertThat(out.path("status").asInt()).as(out.toString()).isEqualTo(529);
        assertThat(out.path("calls").size()).isEqualTo(2);
    }
}
