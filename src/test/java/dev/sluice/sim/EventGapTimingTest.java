package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.RawHttp.TimedEvent;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class EventGapTimingTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults().withInstances(1));

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void eventGapHeaderSpacesEverySseEvent() throws IOException {
        long gapMillis = 60;
        List<TimedEvent> events;
        long sentNanos = System.nanoTime();
        try (RawHttp raw = new RawHttp(sim.server.port(), "/v1/messages", userMessage("hi", true),
                SimHeaders.OUTPUT_TOKENS, "2", SimHeaders.EVENT_GAP_MS, Long.toString(gapMillis))) {
            events = raw.remainingEvents();
            assertThat(raw.completed()).isTrue();
        }
        // message_start, content_block_start, ping, 2 deltas, content_block_stop, message_delta, message_stop
        assertThat(events).hasSize(8);
        // The server waits at least the gap between writes, so the last event cannot come sooner than this.
        long totalMillis = (events.getLast().atNanos() - sentNanos) / 1_000_000;
        assertThat(totalMillis).isBetween(7 * gapMillis, 7 * gapMillis + 1_500);
        // Individual gaps as the client sees them jitter with its own scheduling; most must be close.
        long closeGaps = 0;
        for (int i = 1; i < events.size(); i++) {
            long gap = (events.get(i).atNanos() - events.get(i - 1).atNanos()) / 1_000_000;
            if (gap >= gapMillis * 8 / 10) {
                closeGaps++;
            }
        }
        assertThat(closeGaps).as("gaps of at least 48 ms among 7").isGreaterThanOrEqualTo(5);
    }

    @Test
    void withoutPacingTheWholeStreamArrivesAtOnce() throws IOException {
        List<TimedEvent> events;
        try (RawHttp raw = new RawHttp(sim.server.port(), "/v1/messages", userMessage("hi", true),
                SimHeaders.OUTPUT_TOKENS, "200")) {
            events = raw.remainingEvents();
        }
        assertThat(events).hasSize(206);
        assertThat((events.getLast().atNanos() - events.getFirst().atNanos()) / 1_000_000).isLessThan(200);
    }
}
