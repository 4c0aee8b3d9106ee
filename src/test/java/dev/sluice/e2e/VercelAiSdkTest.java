package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.NodeClientScript;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vercel AI SDK ({@code ai} with {@code @ai-sdk/anthropic} and {@code @ai-sdk/openai}, from {@code src/test/npm})
 * through both front doors to a Claude upstream: the Anthropic door, the OpenAI door's chat completions
 * ({@code openai.chat(model)}) and its Responses API ({@code @ai-sdk/openai}'s default). Each behaviour is what an
 * agent built on the SDK does: a streamed answer, a multi-step tool loop ({@code stopWhen}), a cached system prompt,
 * structured output, thinking, an abort mid-stream, the SDK's own retries. Usage the SDK reports equals what the
 * simulator billed, as does the ledger.
 */
class VercelAiSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML);

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private NodeClientScript script() {
        return new NodeClientScript("vercel-ai.cjs", work, SLUICE.gatewayUrl() + "/v1", "ai", "zod", "@ai-sdk/anthropic", "@ai-sdk/openai");
    }

    private JsonNode run(String door, String step, Map<String, String> env) throws Exception {
        var all = new java.util.HashMap<>(env);
        all.put("DOOR", door);
        all.put("STEP", step);
        return script().run(all);
    }

    private static String requestId(JsonNode call) {
        return call.at("/headers/x-sluice-request-id").asText();
    }

    private static void assertUsage(JsonNode usage, BilledUsage billed) {
        assertThat(usage.path("inputTokens").asLong()).isEqualTo(billed.totalInputTokens());
        assertThat(usage.path("outputTokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(usage.at("/inputTokenDetails/cacheReadTokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aStreamedAnswerWithTheUsageTheSimulatorBilled(String door) throws Exception {
        JsonNode out = run(door, "stream", Map.of());
        assertThat(out.path("text").asText()).isNotBlank();
        assertThat(out.path("deltas").asInt()).isGreaterThan(3);
        assertThat(out.path("finishReason").asText()).isEqualTo("stop");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertUsage(out.path("usage"), billed);
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId(out.at("/calls/0")), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("error_type").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aToolLoopRunsItsCallAndEndsWithTheAnswer(String door) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once"));
        JsonNode out = run(door, "tools", Map.of());
        JsonNode steps = out.path("steps");
        assertThat(steps.size()).isEqualTo(2);
        assertThat(steps.at("/0/finishReason").asText()).isEqualTo("tool-calls");
        assertThat(steps.at("/0/toolCalls/0/name").asText()).isEqualTo("get_weather");
        assertThat(steps.at("/0/toolCalls/0/input/city").isTextual()).isTrue();
        assertThat(steps.at("/1/finishReason").asText()).isEqualTo("stop");
        // The simulator quotes the tool result it was sent back: the loop's second call carried it.
        assertThat(out.path("text").asText()).contains("Sunny, 21C");
        List<BilledUsage> billed = SLUICE.recorder().billed();
        assertThat(billed).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertUsage(steps.get(i).path("usage"), billed.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aStreamedToolLoopWithThinkingOn(String door) throws Exception {
        // streamText, as chat UIs run the loop; the upstream refuses, as the real API does, a tool loop whose assistant
        // turn lost its thinking block.
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once;say", "x-sim-thinking-loop", "strict"));
        JsonNode out = run(door, "tools", Map.of("THINK", "1", "STORE", "false", "STREAM", "1"));
        JsonNode steps = out.path("steps");
        assertThat(steps.size()).as(out.toString()).isEqualTo(2);
        assertThat(steps.at("/0/toolCalls/0/input/city").isTextual()).isTrue();
        assertThat(out.path("text").asText()).contains("Sunny, 21C");
        List<BilledUsage> billed = SLUICE.recorder().billed();
        assertThat(out.at("/totalUsage/outputTokens").asLong()).isEqualTo(billed.stream().mapToLong(BilledUsage::outputTokens).sum());
    }

    @ParameterizedTest
    @CsvSource({"0,default", "0,false", "1,default"})
    void onTheResponsesApiStepsThatSaidSomethingComeBackWholeWhetherSentByReferenceOrNot(String stream, String store) throws Exception {
        // Claude says a few words before it calls the tool; with thinking on, the loop must carry its thinking back too.
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once;say", "x-sim-thinking-loop", "strict"));
        // By default the SDK stores, and sends the first step's reasoning and text as item_references, which the gateway
        // reads from the answer it kept for this key; with store: false the SDK sends them whole (the reasoning sealed).
        Map<String, String> env = new java.util.HashMap<>(Map.of("THINK", "1", "STREAM", stream));
        if (store.equals("false")) {
            env.put("STORE", "false");
        }
        JsonNode out = run("openai-responses", "tools", env);
        JsonNode steps = out.path("steps");
        assertThat(steps.size()).as(out.toString()).isEqualTo(2);
        assertThat(steps.at("/0/reasoning").asText()).isNotBlank();
        assertThat(steps.at("/0/toolCalls/0/name").asText()).isEqualTo("get_weather");
        assertThat(out.path("text").asText()).contains("Sunny, 21C");
        // The second call carried the first step whole: its thinking block (unsealed), its words, its call.
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        JsonNode assistant = sent.at("/messages/1/content");
        assertThat(assistant.findValuesAsText("type")).containsSubsequence("thinking", "text", "tool_use");
        assertThat(assistant.findValuesAsText("text")).contains("Let me check that."); // the simulator's words before a call
    }

    @Test
    void onTheResponsesApiAReferenceToNoItemOfTheCallersIsRefusedSayingWhatToSend() {
        // An id the gateway never kept for this key (another replica's, an expired one): the 400 says what to send instead.
        HttpResponse<String> refused = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/responses"))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\",\"input\":[{\"role\":\"user\","
                        + "\"content\":\"Hi\"},{\"type\":\"item_reference\",\"id\":\"msg_from_another_replica_0\"}]}")).build());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Http.json(refused.body()).at("/error/message").asText()).contains("another replica").contains("store: false");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void aCachedSystemPromptIsReportedAsWrittenThenRead(String door) throws Exception {
        // The Anthropic door carries the SDK's cacheControl mark; the OpenAI doors' requests get the gateway's own
        // breakpoints. Either way the SDK must split input as billed: written, read, and the rest.
        SLUICE.harness().sim().clearPromptCache();
        JsonNode out = run(door, "cache", Map.of());
        List<BilledUsage> billed = SLUICE.recorder().billed();
        assertThat(billed).hasSize(2);
        assertThat(billed.get(0).cacheCreationInputTokens()).isPositive();
        assertThat(billed.get(1).cacheReadInputTokens()).isPositive();
        for (int i = 0; i < 2; i++) {
            JsonNode usage = out.path(i == 0 ? "first" : "second");
            assertUsage(usage, billed.get(i));
            assertThat(usage.at("/inputTokenDetails/cacheWriteTokens").asLong()).as(usage.toString())
                    .isEqualTo(billed.get(i).cacheCreationInputTokens());
            assertThat(usage.at("/inputTokenDetails/noCacheTokens").asLong()).isEqualTo(billed.get(i).inputTokens());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void generateObjectGetsAnObjectThroughClaudesStructuredOutput(String door) throws Exception {
        // @ai-sdk/anthropic sends output_config.format; @ai-sdk/openai a json_schema response_format (chat) or
        // text.format (Responses), which the gateway turns into the same.
        JsonNode out = run(door, "object", Map.of());
        assertThat(out.at("/object/city").asText()).as(out.toString()).isEqualTo("sim");
        assertThat(out.at("/object/sunny").asBoolean()).isTrue();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        assertThat(sent.at("/output_config/format/schema/required").toString()).contains("city", "temperature", "sunny");
        assertUsage(out.path("usage"), SLUICE.recorder().billed().getLast());
    }

    @ParameterizedTest
    @CsvSource({"anthropic,image", "openai-chat,image", "openai-responses,image", "anthropic,pdf", "openai-chat,pdf",
            "openai-responses,pdf"})
    void anImageAndAPdfAsBase64FilePartsReachTheModelAsBlocks(String door, String step) throws Exception {
        JsonNode out = run(door, step, Map.of());
        assertThat(out.path("text").asText()).as(out.toString()).isNotBlank();
        JsonNode block = Http.json(SLUICE.recorder().received().getLast().bodyText()).at("/messages/0/content/1");
        assertThat(block.path("type").asText()).isEqualTo(step.equals("image") ? "image" : "document");
        assertThat(block.at("/source/type").asText()).isEqualTo("base64");
        assertThat(block.at("/source/media_type").asText()).isEqualTo(step.equals("image") ? "image/png" : "application/pdf");
        assertUsage(out.path("usage"), SLUICE.recorder().billed().getLast());
    }

    @Test
    void thinkingComesBackAsReasoning() throws Exception {
        JsonNode out = run("anthropic", "thinking", Map.of());
        assertThat(out.path("reasoningText").asText()).isNotBlank();
        assertThat(out.path("text").asText()).isNotBlank();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void anAbortMidStreamLeavesOneRecordFlaggedAsTheClientLeaving(String door) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tokens-per-second", "200", "x-sim-output-tokens", "300"));
        JsonNode out = run(door, "abort", Map.of());
        assertThat(out.path("aborted").asBoolean()).as(out.toString()).isTrue();
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), requestId(out.at("/calls/0")), 1);
        JsonNode attempt = records.path("attempts").get(0);
        assertThat(attempt.path("error_type").asText()).isEqualTo("client_closed");
        assertThat(attempt.at("/usage/output_tokens").asLong()).isPositive();
    }

    @ParameterizedTest
    @CsvSource({"anthropic,error-event:6", "anthropic,cut:8", "openai-chat,error-event:6", "openai-chat,cut:8",
            "openai-responses,error-event:6", "openai-responses,cut:8"})
    void aStreamBrokenOffMidwayEndsInAnErrorTheSdkSees(String door, String fault) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", fault));
        JsonNode out = run(door, "broken", Map.of());
        assertThat(out.path("text").asText()).as(out.toString()).isNotBlank();
        assertThat(out.path("errors").size()).as(out.toString()).isEqualTo(1);
        assertThat(out.path("finishReason").asText()).as(out.toString()).isEqualTo("error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai-chat", "openai-responses"})
    void theSdksOwnRetryOnA429ReadsTheGatewaysRetryAfter(String door) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "429"));
        JsonNode out = run(door, "retry", Map.of("MAX_RETRIES", "1"));
        assertThat(out.path("ok").asBoolean()).isFalse();
        JsonNode calls = out.path("calls");
        assertThat(calls.size()).isEqualTo(2);
        for (JsonNode call : calls) {
            assertThat(call.path("status").asInt()).isEqualTo(429);
            assertThat(call.at("/headers/retry-after").asText()).as(call.toString()).isNotBlank();
        }
        assertThat(out.at("/errors/0/retryable").asBoolean()).isTrue();
        // The gateway tried twice per call (its own retry on the upstream's next key): two records each.
        assertThat(GatewayCalls.records(SLUICE.gatewayUrl(), requestId(calls.get(0)), 2).path("attempts")).allSatisfy(a ->
                assertThat(a.path("error_type").asText()).isEqualTo("rate_limit_error"));
    }
}
