package dev.sluice.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A byte order mark opening a stream is dropped (SSE: "one leading U+FEFF must be ignored"), wherever chunks split it. */
class SseFramerByteOrderMarkTest {
    private static final String EVENTS = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    @Test
    void aLeadingByteOrderMarkIsDroppedAtEverySplit() {
        byte[] all = ("\uFEFF" + EVENTS).getBytes(UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            SseFramer framer = new SseFramer();
            List<SseEvent> events = new ArrayList<>(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, 0, cut))));
            events.addAll(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, cut, all.length))));
            assertThat(events).as("cut at %d", cut).extracting(SseEvent::type).containsExactly("message_start", "message_stop");
            assertThat(new String(events.getFirst().raw(), UTF_8)).as("cut at %d", cut).startsWith("event: message_start");
        }
    }

    @Test
    void byteByByteTheMarkIsDroppedToo() {
        SseFramer framer = new SseFramer();
        List<SseEvent> events = new ArrayList<>();
        for (byte b : ("\uFEFF" + EVENTS).getBytes(UTF_8)) {
            events.addAll(framer.feed(Buffer.buffer(new byte[] {b})));
        }
        assertThat(events).extracting(SseEvent::type).containsExactly("message_start", "message_stop");
    }

    @Test
    void onlyTheFirstMarkIsTheStreamsAndBytesLikeItsStartAreKept() {
        // A second mark is data (the specification drops one); a stream that starts with 0xEF and no more of a mark
        // keeps its bytes.
        List<SseEvent> twice = new SseFramer().feed(Buffer.buffer("\uFEFF\uFEFF" + EVENTS));
        assertThat(twice.getFirst().type()).isEqualTo("message");
        SseFramer framer = new SseFramer();
        byte[] notAMark = {(byte) 0xEF, 'x', '\n', '\n'};
        List<SseEvent> kept = framer.feed(Buffer.buffer(notAMark));
        assertThat(kept).hasSize(1);
        assertThat(kept.getFirst().raw()).isEqualTo(notAMark);
    }
}
