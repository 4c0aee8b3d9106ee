package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official {@code com.openai:openai-java} SDK through the OpenAI front door to an Anthropic upstream (the
 * simulator): create, stream with the usage chunk, a tool-call round trip, the model list, embeddings to an OpenAI
 * upstream, and the SDK's own error type for a refused key. Usage the SDK reads equals what the simulator billed,
 * and so does the ledger.
 */
class OpenAiJavaSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
              - {match: "text-embedding-*", upstream: openai}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(SLUICE.gatewayUrl() + "/v1").apiKey(key).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder params(String question) {
        return ChatCompletionCreateParams.builder().model(SluiceHarness.MODEL).maxCompletionTokens(200)
                .addSystemMessage("You are brief.").addUserMessage(question);
    }

    private static void assertBilled(CompletionUsage usage, BilledUsage billed) {
        assertThat(usage.promptTokens()).isEqualTo(billed.totalInputTokens());
        assertThat(usage.completionTokens()).isEqualTo(billed.outputTokens());
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isEqualTo((long) billed.cacheReadInputTokens());
    }

    private static void assertLedgerMatches(String requestId, BilledUsage billed) {
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId, 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
    }

    @Test
    void createReturnsAChatCompletionWithExactUsage() {
        OpenAIClient client = client(SluiceHarness.GATEWAY_KEY);
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params("Say hello.").build());
        ChatCompletion completion = raw.parse();
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo(SluiceHarness.MODEL);
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertBilled(completion.usage().orElseThrow(), billed);
        assertLedgerMatches(raw.headers().values("request-id").getFirst(), billed);
    }

    @Test
    void aStreamAccumulatesToTheAnswerAndItsFinalChunkCarriesUsage() {
        OpenAIClient client = client(SluiceHarness.GATEWAY_KEY);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        String requestId;
        ChatCompletionChunk last = null;
        int chunks = 0;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client.chat().completions().withRawResponse()
                .createStreaming(params("Tell me a story.").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            requestId = raw.headers().values("request-id").getFirst();
            try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    accumulator.accumulate(chunk);
                    last = chunk;
                    chunks++;
                }
            }
        }
        assertThat(chunks).isGreaterThan(3);
        assertThat(last.choices()).isEmpty();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertBilled(last.usage().orElseThrow(), billed);
        ChatCompletion completion = accumulator.chatCompletion();
        assertThat(completion.choices().getFirst().message().content().orElseThrow()).isNotBlank();
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertLedgerMatches(requestId, billed);
    }

    @Test
    void aToolCallRoundTrip() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather"));
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather").description("Current weather in a city")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
                .build();
        OpenAIClient client = client(SluiceHarness.GATEWAY_KEY);
        ChatCompletionCreateParams ask = params("What is the weather in Lisbon?").addFunctionTool(weather).build();
        ChatCompletion first = client.chat().completions().create(ask);
        assertThat(first.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Http.json(call.function().arguments()).has("city")).isTrue();

        // The same, streamed: the accumulator rebuilds the call from its argument pieces.
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletionMessageFunctionToolCall streamed = accumulator.chatCompletion().choices().getFirst().message().toolCalls()
                .orElseThrow().getFirst().asFunction();
        assertThat(streamed.function().name()).isEqualTo("get_weather");
        assertThat(Http.json(streamed.function().arguments()).has("city")).isTrue();

        SLUICE.harness().sim().standingDirectives(Map.of());
        ChatCompletion answer = client.chat().completions().create(params("What is the weather in Lisbon?").addFunctionTool(weather)
                .addMessage(first.choices().getFirst().message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("Sunny, 21C").build()).build());
        assertThat(answer.choices().getFirst().message().content()).isPresent();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(sent.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo(call.id());
    }

    @Test
    void theModelListAndEmbeddings() {
        OpenAIClient client = client(SluiceHarness.GATEWAY_KEY);
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).contains(SluiceHarness.MODEL);
        CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder().model("text-embedding-3-small")
                .inputOfArrayOfStrings(List.of("first text", "second text")).build());
        assertThat(embeddings.data()).hasSize(2);
        assertThat(embeddings.data().getFirst().embedding()).isNotEmpty();
        assertThat(embeddings.usage().promptTokens()).isEqualTo(SLUICE.recorder().billed().getLast().inputTokens());
    }

    @Test
    void aRefusedKeyIsTheSdksUnauthorizedException() {
        assertThatThrownBy(() -> client("sk-not-a-key").chat().completions().create(params("hi").build()))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("401");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
