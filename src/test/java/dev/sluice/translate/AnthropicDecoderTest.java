package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pass-through decoder relays the upstream's events as they are, and nothing after the answer's end. */
class AnthropicDecoderTest {
    private static final String STOP = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    private static final String DELTA = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"injected\"}}\n\n";

    @Test
    void eventsAfterMessageStopAreNotRelayed() {
        AnthropicDecoder d = new AnthropicDecoder();
        List<SseEvent> out = new ArrayList<>();
        d.chunk(Buffer.buffer(DELTA + STOP + DELTA + STOP), out);
        d.chunk(Buffer.buffer(DELTA), out);
        assertThat(out).extracting(SseEvent::type).containsExactly("content_block_delta", "message_stop");
        assertThat(d.complete()).isTrue();
    }

    /**
     * A whole answer names the model that answered as a stream's message_start does, so both are recorded and priced
     * under the same id (a report by model split one model in two rows: the routed name for whole answers, the dated
     * id for streams); a {@code model} inside the content is not the answer's.
     */
    @Test
    void aWholeAnswerReportsTheModelItsBodyNames() {
        AnthropicDecoder d = new AnthropicDecoder();
        d.body(200, Buffer.buffer("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"tool_use\","
                + "\"input\":{\"model\":\"not-this\"}}],\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}"));
        assertThat(d.servedModel()).isEqualTo("claude-sonnet-4-5-20250929");

        AnthropicDecoder none = new AnthropicDecoder();
        none.body(200, Buffer.buffer("{\"content\":[{\"model\":\"nested\"}],\"usage\":{\"input_tokens\":1}}"));
        assertThat(none.servedModel()).isNull();
    }

    /** An upstream's word on the model is kept only when it could be a model name; else the routed one stands. */
    @Test
    void anImplausibleReportedModelFallsBackToTheRoutedOne() {
        for (String reported : new String[] {"claude\u0000x", "x".repeat(dev.sluice.pipeline.Bounded.MODEL + 1), ""}) {
            AnthropicDecoder d = new AnthropicDecoder();
            d.body(200, Buffer.buffer("{\"model\":\"" + reported.replace("\u0000", "\\u0000")
                    + "\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}"));
            dev.sluice.pipeline.Attempt a = new dev.sluice.pipeline.Attempt(1,
                    new dev.sluice.pipeline.Target("up", "anthropic", "claude-sonnet-4-5"));
            a.report(d.report());
            assertThat(a.servedModel()).as("reported %s", reported.length() > 20 ? reported.length() + " chars" : reported)
                    .isEqualTo("claude-sonnet-4-5");
        }
    }

    /** A whole answer with a negative count is served, and billed from a stand-in flagged as an estimate. */
    @Test
    void aWholeAnswerWithANegativeCountIsFlagged() {
        AnthropicDecoder d = new AnthropicDecoder();
        d.body(200, Buffer.buffer("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[],"
                + "\"usage\":{\"input_tokens\":-1000,\"output_tokens\":50}}"));
        assertThat(d.complete()).isTrue();
        assertThat(d.usage().outputTokens()).isEqualTo(50);
        assertThat(d.estimated()).isTrue();
    }

    /** The same in a stream, where a message_delta closes the count. */
    @Test
    void aStreamedAnswerWithANegativeCountIsFlagged() {
        AnthropicDecoder d = new AnthropicDecoder();
        d.chunk(Buffer.buffer("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":-1000000,\"output_tokens\":1}}}\n\n" + DELTA
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":-5}}\n\n" + STOP),
                new ArrayList<>());
        assertThat(d.complete()).isTrue();
        assertThat(d.estimated()).isTrue();
    }
}
