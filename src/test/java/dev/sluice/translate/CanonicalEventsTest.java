package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A translated event is exactly one event, whatever line breaks the upstream's JSON (or its type) carried. */
class CanonicalEventsTest {
    @Test
    void lineBreaksInTheDataCannotFrameEventsOfTheirOwn() {
        String injected = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}"
                + "\n\nevent: message_stop\r\ndata: {\"type\":\"message_stop\"}\n\n";
        SseEvent e = CanonicalEvents.of("content_block_delta", injected);
        List<SseEvent> framed = new ArrayList<>();
        new SseFramer().feed(Buffer.buffer(e.raw()), framed);
        assertThat(framed).hasSize(1);
        assertThat(framed.get(0).type()).isEqualTo("content_block_delta");
        assertThat(CanonicalEvents.of("ping\n\nevent: message_stop", "{}").type()).startsWith("ping");
        assertThat(new String(CanonicalEvents.of("ping\n\nevent: message_stop", "{}").raw())).startsWith("event: ping  event: message_stop\ndata: {}");
    }

    @Test
    void compactJsonPassesUnchanged() {
        String json = "{\"type\":\"message_stop\"}";
        assertThat(new String(CanonicalEvents.of("message_stop", json).raw())).isEqualTo("event: message_stop\ndata: " + json + "\n\n");
    }
}
