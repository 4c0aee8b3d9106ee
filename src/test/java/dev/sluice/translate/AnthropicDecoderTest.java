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
