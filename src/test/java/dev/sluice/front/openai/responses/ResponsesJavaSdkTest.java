package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.EasyInputMessage;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official {@code com.openai:openai-java} SDK's Responses API through the gateway to an Anthropic upstream (the
 * simulator): {@code responses().create}, {@code createStreaming} rebuilt by the SDK's own accumulator, and a
 * function-call round trip. The usage the SDK reads equals what the simulator billed, and so does the ledger, with
 * its cost.
 */
class ResponsesJavaSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(SLUICE.gatewayUrl() + "/v1").apiKey(SluiceHarness.GATEWAY_KEY).maxRetries(0).build();
    }

    private static ResponseCreateParams.Builder params(String question) {
        return ResponseCreateParams.builder().model(SluiceHarness.MODEL).instructions("You are brief.").maxOutputTokens(200L)
                .input(question);
    }

    private static String text(Response r) {
        return r.output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream()).map(t -> t.text()).collect(Collectors.joining());
    }

    private static void assertBilled(ResponseUsage usage, BilledUsage billed) {
        assertThat(usage.inputTokens()).isEqualTo(billed.totalInputTokens());
        assertThat(usage.outputTokens()).isEqualTo(billed.outputTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(billed.totalInputTokens() + billed.outputTokens());
        assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(billed.cacheReadInputTokens());
        assertThat(usage.inputTokensDetails().cacheWriteTokens()).isEqualTo(billed.cacheCreationInputTokens());
    }

    /** The ledger's record of the request: the simulator's usage, and a cost at Sonnet's list prices. */
    private static void assertLedger(String requestId, BilledUsage billed) {
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), requestId, 1);
        JsonNode attempt = records.path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        // Sonnet 4.5 per million tokens: $3 input, $15 output, $3.75 and $6 for 5-minute and 1-hour cache writes, $0.30 reads.
        long writes = Math.max(billed.cacheCreationInputTokens(), billed.ephemeral5mInputTokens() + billed.ephemeral1hInputTokens());
        BigDecimal expected = BigDecimal.valueOf(billed.inputTokens() * 300L + billed.outputTokens() * 1500L
                + (writes - billed.ephemeral1hInputTokens()) * 375L + billed.ephemeral1hInputTokens() * 600L
                + billed.cacheReadInputTokens() * 30L, 8);
        assertThat(new BigDecimal(records.path("cost_usd").asText())).isPositive().isEqualByComparingTo(expected);
    }

    @Test
    void createReturnsAResponseWithTheAnswerAndExactUsage() {
        HttpResponseFor<Response> raw = client().responses().withRawResponse().create(params("Say hello.").build());
        Response response = raw.parse();
        response.validate(); // every field the SDK's model requires is there, of its type
        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(response.model().asString()).isEqualTo(SluiceHarness.MODEL);
        assertThat(text(response)).isNotBlank();
        assertThat(response.instructions().orElseThrow().asString()).isEqualTo("You are brief.");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertBilled(response.usage().orElseThrow(), billed);
        assertThat(raw.headers().values("x-sluice-provider")).containsExactly("anthropic");
        assertThat(raw.headers().values("x-sluice-cost-usd")).hasSize(1);
        assertLedger(raw.headers().values("request-id").getFirst(), billed);

        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/system/0/text").asText()).isEqualTo("You are brief.");
        assertThat(sent.at("/messages/0/content/0/text").asText()).isEqualTo("Say hello.");
        assertThat(sent.path("max_tokens").asLong()).isEqualTo(200);
    }

    @Test
    void aStreamIsTheApisEventSequenceAndTheAccumulatorRebuildsTheAnswer() {
        ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
        List<ResponseStreamEvent> events = new ArrayList<>();
        String requestId;
        try (HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw = client().responses().withRawResponse()
                .createStreaming(params("Tell me a story.").build())) {
            requestId = raw.headers().values("request-id").getFirst();
            try (StreamResponse<ResponseStreamEvent> stream = raw.parse()) {
                stream.stream().forEach(e -> {
                    accumulator.accumulate(e);
                    events.add(e);
                });
            }
        }
        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events.get(1).isInProgress()).isTrue();
        assertThat(events.getLast().isCompleted()).isTrue();
        assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta).count()).isGreaterThan(1);
        Response done = accumulator.response();
        done.validate();
        assertThat(text(done)).isNotBlank();
        assertThat(text(accumulator.reconstructedResponse())).isEqualTo(text(done)); // the deltas add up to the final text
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertBilled(done.usage().orElseThrow(), billed);
        assertLedger(requestId, billed);
    }

    @Test
    void aFunctionCallRoundTrip() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather"));
        FunctionTool weather = FunctionTool.builder().name("get_weather").description("Current weather in a city").strict(false)
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
                .build();
        ResponseCreateParams ask = params("What is the weather in Lisbon?").addTool(weather).build();
        Response first = client().responses().create(ask);
        ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Http.json(call.arguments()).has("city")).isTrue();

        // The same, streamed: the accumulator rebuilds the call from its argument deltas.
        ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ask)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ResponseFunctionToolCall streamed = accumulator.reconstructedResponse().output().stream()
                .flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
        assertThat(streamed.name()).isEqualTo("get_weather");
        assertThat(Http.json(streamed.arguments()).has("city")).isTrue();

        SLUICE.harness().sim().standingDirectives(Map.of());
        List<ResponseInputItem> history = new ArrayList<>();
        history.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content("What is the weather in Lisbon?").build()));
        for (ResponseOutputItem item : first.output()) { // what the model said, sent back as it came
            item.message().ifPresent(m -> history.add(ResponseInputItem.ofResponseOutputMessage(m)));
            item.functionCall().ifPresent(c -> history.add(ResponseInputItem.ofFunctionCall(c)));
        }
        history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId())
                .output("Sunny, 21C").build()));
        Response answer = client().responses().create(ResponseCreateParams.builder().model(SluiceHarness.MODEL).maxOutputTokens(200L)
                .addTool(weather).inputOfResponse(history).build());
        assertThat(text(answer)).isNotBlank();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        JsonNode messages = sent.path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
        JsonNode use = messages.at("/1/content").get(messages.at("/1/content").size() - 1);
        assertThat(use.path("type").asText()).isEqualTo("tool_use");
        assertThat(use.path("id").asText()).isEqualTo(call.callId());
        assertThat(messages.at("/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(messages.at("/2/content/0/tool_use_id").asText()).isEqualTo(call.callId());
        assertThat(messages.at("/2/content/0/content").asText()).isEqualTo("Sunny, 21C");
    }

    /**
     * Reasoning with the SDK's own types: an effort and summary set with {@code include} of the encrypted content, the
     * reasoning item read whole and rebuilt from a stream by the accumulator, and sent back with the call and its output
     * as {@code ResponseInputItem.ofReasoning}: the simulator, strict as Anthropic about a tool loop's thinking block,
     * gets the same signed block before the call.
     */
    @Test
    void aReasoningItemRoundTripsThroughTheSdksOwnTypes() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once", "x-sim-thinking-loop", "strict"));
        FunctionTool weather = FunctionTool.builder().name("get_weather").description("Current weather in a city").strict(false)
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
                .build();
        ResponseCreateParams ask = params("What is the weather in Lisbon?").addTool(weather)
                .reasoning(com.openai.models.Reasoning.builder().effort(com.openai.models.ReasoningEffort.HIGH)
                        .summary(com.openai.models.Reasoning.Summary.AUTO).build())
                .include(List.of(com.openai.models.responses.ResponseIncludable.REASONING_ENCRYPTED_CONTENT)).build();
        Response first = client().responses().create(ask);
        first.validate();
        com.openai.models.responses.ResponseReasoningItem reasoning = first.output().getFirst().reasoning().orElseThrow();
        assertThat(reasoning.summary().getFirst().text()).isNotBlank();
        assertThat(reasoning.encryptedContent()).isPresent();
        assertThat(first.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isZero(); // not split out by Anthropic

        ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client().responses().createStreaming(ask)) {
            stream.stream().forEach(e -> {
                accumulator.accumulate(e);
                events.add(e);
            });
        }
        assertThat(events.stream().filter(ResponseStreamEvent::isReasoningSummaryTextDelta).count()).isPositive();
        assertThat(events.stream().filter(ResponseStreamEvent::isReasoningSummaryPartDone).count()).isOne();
        com.openai.models.responses.ResponseReasoningItem streamed = accumulator.response().output().getFirst().reasoning().orElseThrow();
        assertThat(streamed.summary().getFirst().text()).isNotBlank();
        assertThat(streamed.encryptedContent()).isPresent();

        ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
        List<ResponseInputItem> history = new ArrayList<>();
        history.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                .content("What is the weather in Lisbon?").build()));
        for (ResponseOutputItem item : first.output()) {
            item.reasoning().ifPresent(r -> history.add(ResponseInputItem.ofReasoning(r)));
            item.functionCall().ifPresent(c -> history.add(ResponseInputItem.ofFunctionCall(c)));
        }
        history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId())
                .output("Sunny, 21C").build()));
        Response answer = client().responses().create(ResponseCreateParams.builder().model(SluiceHarness.MODEL).maxOutputTokens(4000L)
                .addTool(weather).reasoning(com.openai.models.Reasoning.builder().effort(com.openai.models.ReasoningEffort.HIGH).build())
                .include(List.of(com.openai.models.responses.ResponseIncludable.REASONING_ENCRYPTED_CONTENT)).inputOfResponse(history).build());
        assertThat(text(answer)).contains("Sunny, 21C");
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(2000);
        assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("thinking");
        assertThat(sent.at("/messages/1/content/0/thinking").asText()).isEqualTo(reasoning.summary().getFirst().text());
        assertThat(sent.at("/messages/1/content/1/id").asText()).isEqualTo(call.callId());
    }
}
