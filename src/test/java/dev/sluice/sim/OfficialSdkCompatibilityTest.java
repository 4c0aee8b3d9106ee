package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The official Java SDK, a real client, must read everything the simulator sends. */
class OfficialSdkCompatibilityTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());
    private static final AnthropicClient client = AnthropicOkHttpClient.builder()
            .apiKey("sk-ant-sdk")
            .baseUrl(sim.server.baseUrl())
            .maxRetries(0)
            .build();

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    private static MessageCreateParams.Builder params() {
        return MessageCreateParams.builder().model(SimHarness.MODEL).maxTokens(256).addUserMessage("Hello there");
    }

    @Test
    void sdkReadsANonStreamedMessage() {
        Message message = client.messages().create(params().build());

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.content().getFirst().text().orElseThrow().text()).isNotBlank();
        assertThat(message.usage().outputTokens()).isEqualTo(40);
        assertThat(message.usage().inputTokens()).isEqualTo(3);
        assertThat(message.usage().cacheReadInputTokens()).contains(0L);
    }

    @Test
    void sdkAccumulatesAStreamedToolCall() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        MessageCreateParams forced = params().putAdditionalHeader(SimHeaders.TOOL, "Lookup").build();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(forced)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content().getFirst().toolUse().orElseThrow().name()).isEqualTo("Lookup");
        assertThat(message.usage().outputTokens()).isEqualTo(1);
    }

    @Test
    void sdkCountsTokensAndSurfacesOverload() {
        long counted = client.messages().countTokens(MessageCountTokensParams.builder()
                .model(SimHarness.MODEL).addUserMessage("Hello there").build()).inputTokens();
        assertThat(counted).isEqualTo(3);

        assertThatThrownBy(() -> client.messages().create(params().putAdditionalHeader(SimHeaders.FAULT, "529").build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
    }
}
