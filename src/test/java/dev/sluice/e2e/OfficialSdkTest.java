package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.SimHeaders;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official Java SDK, pointed at the gateway, sees Anthropic: messages, streams, tools, counting, models and typed errors. */
class OfficialSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    private static AnthropicClient client;

    private static AnthropicClient client() {
        if (client == null) {
            client = sdk(SluiceHarness.GATEWAY_KEY);
        }
        return client;
    }

    /** Retries off: every error must reach the test as the SDK first saw it. */
    private static AnthropicClient sdk(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(SLUICE.gatewayUrl()).maxRetries(0).build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static MessageCreateParams.Builder params(String text) {
        return MessageCreateParams.builder().model(SluiceHarness.MODEL).maxTokens(256).addUserMessage(text);
    }

    @Test
    void createsAMessage() {
        Message message = client().messages().create(params("Hello there").build());

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo(SluiceHarness.MODEL);
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.content().getFirst().text().orElseThrow().text()).isNotBlank();
        assertThat(message.usage().outputTokens()).isEqualTo(40);
        assertThat(message.usage().inputTokens()).isEqualTo(3);

        ReceivedRequest got = SLUICE.recorder().received().getFirst();
        assertThat(got.upstreamKey()).isEqualTo(SluiceHarness.UPSTREAM_KEY);
        assertThat(got.header("authorization")).isNull();
        assertThat(got.header("anthropic-version")).isNotBlank();
        assertThat(got.header("x-stainless-lang")).isEqualTo("java");
    }

    @Test
    void streamsAMessageAndItsFinalUsage() {
        MessageAccumulator acc = MessageAccumulator.create();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(
                params("Stream to me").putAdditionalHeader(SimHeaders.OUTPUT_TOKENS, "25").build())) {
            stream.stream().forEach(event -> {
                acc.accumulate(event);
                event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()));
            });
        }
        Message message = acc.message();
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isEqualTo(25);
        assertThat(message.usage().inputTokens()).isEqualTo(3);
        assertThat(text).isNotEmpty();
        assertThat(message.content().getFirst().text().orElseThrow().text()).isEqualTo(text.toString());
    }

    @Test
    void completesAToolUseRoundTrip() {
        Tool read = Tool.builder().name("Read").description("Reads a file")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("file_path", Map.of("type", "string"))))
                        .required(List.of("file_path")).build())
                .build();
        MessageParam ask = MessageParam.ofUser("Please read /tmp/sluice-sdk/notes.txt");
        Message first = client().messages().create(MessageCreateParams.builder().model(SluiceHarness.MODEL).maxTokens(256)
                .addTool(read).addMessage(ask).build());

        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertThat(use.name()).isEqualTo("Read");
        assertThat(use._input().convert(Map.class)).containsEntry("file_path", "/tmp/sluice-sdk/notes.txt");

        Message second = client().messages().create(MessageCreateParams.builder().model(SluiceHarness.MODEL).maxTokens(256)
                .addTool(read).addMessage(ask)
                .addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(com.anthropic.models.messages.ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(use.id()).content("zebra crossing ahead").build())))
                .build());
        assertThat(second.stopReason()).contains(StopReason.END_TURN);
        assertThat(second.content().stream().flatMap(b -> b.text().stream()).findFirst().orElseThrow().text())
                .contains("zebra crossing ahead");
        assertThat(SLUICE.recorder().received()).hasSize(2);
    }

    @Test
    void forcesAToolThroughASimHeaderAndStreamsIt() {
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(
                params("Look something up").putAdditionalHeader(SimHeaders.TOOL, "Lookup").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Message message = acc.message();
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content()).extracting(ContentBlock::isToolUse).containsExactly(true);
        assertThat(message.content().getFirst().toolUse().orElseThrow().name()).isEqualTo("Lookup");
    }

    @Test
    void countsTokens() {
        long counted = client().messages().countTokens(MessageCountTokensParams.builder()
                .model(SluiceHarness.MODEL).addUserMessage("Hello there").build()).inputTokens();
        assertThat(counted).isEqualTo(3);
        assertThat(SLUICE.recorder().received().getFirst().uri()).startsWith("/v1/messages/count_tokens");
    }

    @Test
    void listsAndRetrievesModels() {
        List<ModelInfo> models = client().models().list().data();
        assertThat(models).extracting(ModelInfo::id).contains(SluiceHarness.MODEL);
        assertThat(client().models().retrieve(SluiceHarness.MODEL).displayName()).isNotBlank();
        assertThatThrownBy(() -> client().models().retrieve("claude-no-such-model"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertError(e, 404, ErrorType.NOT_FOUND_ERROR));
    }

    @Test
    void aWrongGatewayKeyIsAnUnauthorizedException() {
        AnthropicClient wrong = sdk("sk-not-a-gateway-key");
        try {
            assertThatThrownBy(() -> wrong.messages().create(params("hi").build()))
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                        assertError(e, 401, ErrorType.AUTHENTICATION_ERROR);
                        assertThat(e.headers().values("x-should-retry")).containsExactly("false");
                    });
        } finally {
            wrong.close();
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void anInvalidRequestIsABadRequestException() {
        // Rejected by the gateway itself: max_tokens must be an integer.
        assertThatThrownBy(() -> client().messages().create(params("hi")
                .putAdditionalBodyProperty("max_tokens", JsonValue.from("lots")).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertError(e, 400, ErrorType.INVALID_REQUEST_ERROR);
                    assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("max_tokens"));
                });
        assertThat(SLUICE.recorder().received()).isEmpty();
        // Rejected by the upstream and relayed: max_tokens must be at least 1.
        assertThatThrownBy(() -> client().messages().create(params("hi").maxTokens(0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.errorType()).contains(ErrorType.INVALID_REQUEST_ERROR));
    }

    @Test
    void upstreamFaultsBecomeTheMatchingExceptions() {
        assertThatThrownBy(() -> client().messages().create(params("hi").putAdditionalHeader(SimHeaders.FAULT, "429").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.errorType()).contains(ErrorType.RATE_LIMIT_ERROR);
                    assertThat(e.headers().values("retry-after")).containsExactly("1");
                });
        assertThatThrownBy(() -> client().messages().create(params("hi").putAdditionalHeader(SimHeaders.FAULT, "529").build()))
                .isInstanceOfSatisfying(OverloadedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(529);
                    assertThat(e.errorType()).contains(ErrorType.OVERLOADED_ERROR);
                });
        assertThatThrownBy(() -> client().messages().create(params("hi").putAdditionalHeader(SimHeaders.FAULT, "500").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.errorType()).contains(ErrorType.API_ERROR);
                });
        assertThatThrownBy(() -> client().messages().create(params("hi").putAdditionalHeader(SimHeaders.FAULT, "reset").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertError(e, 502, ErrorType.API_ERROR));
    }

    @Test
    void aStreamCutByTheUpstreamSurfacesAsAnError() {
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(
                    params("cut").putAdditionalHeader(SimHeaders.FAULT, "cut:4").build())) {
                stream.stream().forEach(e -> { });
            }
        }).isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.errorType()).contains(ErrorType.API_ERROR));
    }

    /** Status, type and our request id (the SDK reads it from {@code request-id}). */
    private static void assertError(AnthropicServiceException e, int status, ErrorType type) {
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.errorType()).contains(type);
        assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9A-Za-z]{20}"));
    }
}
