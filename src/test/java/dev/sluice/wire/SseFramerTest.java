package dev.sluice.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFramerTest {
    private static final List<String> FRAMES = List.of(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"caf\u00e9 \ud83d\ude00\\n\\n\"}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    private static String joined(List<String> frames) {
        return String.join("", frames);
    }

    private static List<String> raws(List<SseEvent> events) {
        return events.stream().map(e -> new String(e.raw(), UTF_8)).toList();
    }

    @Test
    void oneChunkWithEveryEvent() {
        List<SseEvent> events = new SseFramer().feed(Buffer.buffer(joined(FRAMES)));
        assertThat(raws(events)).containsExactlyElementsOf(FRAMES);
        assertThat(events).extracting(SseEvent::type)
                .containsExactly("message_start", "content_block_start", "ping", "content_block_delta", "message_stop");
        assertThat(events.get(2).data()).isEqualTo("{\"type\": \"ping\"}");
        assertThat(events.get(3).data()).contains("caf\u00e9 \ud83d\ude00");
    }

    @Test
    void everySplitIntoTwoChunksGivesTheSameEvents() {
        byte[] all = joined(FRAMES).getBytes(UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            SseFramer framer = new SseFramer();
            List<SseEvent> events = new ArrayList<>(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, 0, cut))));
            events.addAll(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, cut, all.length))));
            assertThat(raws(events)).as("cut at %d", cut).containsExactlyElementsOf(FRAMES);
            assertThat(framer.remainder()).isEmpty();
        }
    }

    @Test
    void byteByByteGivesTheSameEventsEachAsSoonAsItIsComplete() {
        byte[] all = joined(FRAMES).getBytes(UTF_8);
        SseFramer framer = new SseFramer();
        List<SseEvent> events = new ArrayList<>();
        int expectedEnd = FRAMES.getFirst().getBytes(UTF_8).length;
        int frame = 0;
        for (int i = 0; i < all.length; i++) {
            List<SseEvent> got = framer.feed(Buffer.buffer(new byte[] {all[i]}));
            if (i + 1 == expectedEnd) {
                assertThat(got).as("event %d completes at byte %d", frame, i).hasSize(1);
                frame++;
                expectedEnd += frame < FRAMES.size() ? FRAMES.get(frame).getBytes(UTF_8).length : 0;
            } else {
                assertThat(got).as("nothing completes at byte %d", i).isEmpty();
            }
            events.addAll(got);
        }
        assertThat(raws(events)).containsExactlyElementsOf(FRAMES);
    }

    @Test
    void everyThreeWaySplitOfCrlfFramesGivesTheSameEvents() {
        List<String> crlf = FRAMES.stream().map(f -> f.replace("\n", "\r\n")).toList();
        byte[] all = joined(crlf).getBytes(UTF_8);
        for (int a = 0; a <= all.length; a += 3) {
            for (int b = a; b <= all.length; b += 5) {
                SseFramer framer = new SseFramer();
                List<SseEvent> events = new ArrayList<>(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, 0, a))));
                events.addAll(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, a, b))));
                events.addAll(framer.feed(Buffer.buffer(Arrays.copyOfRange(all, b, all.length))));
                assertThat(raws(events)).as("cuts at %d, %d", a, b).containsExactlyElementsOf(crlf);
            }
        }
        List<SseEvent> events = new SseFramer().feed(Buffer.buffer(joined(crlf)));
        assertThat(events.getFirst().type()).isEqualTo("message_start");
        assertThat(events.getFirst().data()).isEqualTo("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}");
    }

    @Test
    void anyMixOfLfAndCrlfLineEndsEndsAnEvent() {
        for (String ending : List.of("\n\n", "\r\n\r\n", "\r\n\n", "\n\r\n")) {
            String frame = "event: ping\ndata: {}" + ending;
            byte[] bytes = (frame + frame).getBytes(UTF_8);
            for (int cut = 0; cut <= bytes.length; cut++) {
                SseFramer framer = new SseFramer();
                List<SseEvent> events = new ArrayList<>(framer.feed(Buffer.buffer(Arrays.copyOfRange(bytes, 0, cut))));
                events.addAll(framer.feed(Buffer.buffer(Arrays.copyOfRange(bytes, cut, bytes.length))));
                assertThat(raws(events)).as("ending %s cut at %d", ending.replace("\r", "CR").replace("\n", "LF"), cut)
                        .containsExactly(frame, frame);
                assertThat(events).allSatisfy(e -> assertThat(e.data()).isEqualTo("{}"));
            }
        }
    }

    @Test
    void anUnterminatedTailIsTheRemainder() {
        SseFramer framer = new SseFramer();
        List<SseEvent> events = framer.feed(Buffer.buffer(FRAMES.getFirst() + "event: message_stop\ndata: {\"type\":\"mess"));
        assertThat(events).hasSize(1);
        assertThat(new String(framer.remainder(), UTF_8)).isEqualTo("event: message_stop\ndata: {\"type\":\"mess");
        assertThat(framer.feed(Buffer.buffer("age_stop\"}\n"))).isEmpty();
        assertThat(new String(framer.remainder(), UTF_8)).endsWith("\"message_stop\"}\n");
        assertThat(framer.feed(Buffer.buffer("\n"))).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("message_stop"));
        assertThat(framer.remainder()).isEmpty();
    }

    @Test
    void framesWithoutANameOrASpaceOrWithCommentsAndSeveralDataLines() {
        List<SseEvent> events = new SseFramer().feed(Buffer.buffer(
                "data:{\"a\":1}\n\n: keep-alive comment\n\nevent:error\ndata:{\"b\":2}\ndata: {\"c\":3}\n\nevent: x\n\n"));
        assertThat(events).hasSize(4);
        assertThat(events.get(0).type()).isEqualTo("message");
        assertThat(events.get(0).data()).isEqualTo("{\"a\":1}");
        assertThat(events.get(1).type()).isEqualTo("message");
        assertThat(events.get(1).dataLength()).isZero();
        assertThat(events.get(2).type()).isEqualTo("error");
        assertThat(events.get(2).data()).isEqualTo("{\"b\":2}");
        assertThat(events.get(3).type()).isEqualTo("x");
        assertThat(events.get(3).dataLength()).isZero();
    }

    @Test
    void anEventLargerThanTheInitialBufferSurvivesGrowth() {
        String big = "event: content_block_delta\ndata: {\"text\":\"" + "y".repeat(100_000) + "\"}\n\n";
        byte[] bytes = (FRAMES.getFirst() + big + FRAMES.getLast()).getBytes(UTF_8);
        SseFramer framer = new SseFramer();
        List<SseEvent> events = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 3000) {
            events.addAll(framer.feed(Buffer.buffer(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 3000)))));
        }
        assertThat(raws(events)).containsExactly(FRAMES.getFirst(), big, FRAMES.getLast());
        assertThat(events.get(1).dataLength()).isEqualTo("{\"text\":\"".length() + 100_000 + "\"}".length());
    }

    @Test
    void manySmallStreamsReuseOneFramerWithoutLeaking() {
        SseFramer framer = new SseFramer();
        for (int i = 0; i < 2000; i++) {
            assertThat(framer.feed(Buffer.buffer(FRAMES.get(i % FRAMES.size())))).hasSize(1);
        }
        assertThat(framer.remainder()).isEmpty();
    }
}
