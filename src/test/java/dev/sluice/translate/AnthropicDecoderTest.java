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
}
