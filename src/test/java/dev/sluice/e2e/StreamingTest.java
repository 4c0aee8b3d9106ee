package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RawHttp.TimedEvent;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server-sent events go through one by one as the upstream sends them, and every way a stream breaks is handled. */
class StreamingTest {
    /** What the simulator streams for a one-token text reply. */
    private static final List<String> ONE_TOKEN = List.of("message_start", "content_block_start", "ping",
            "content_block_delta", "content_block_stop", "message_delta", "message_stop");

    @RegisterExtension
    // Cancel mode: these tests show a client's hang-up reaching the upstream (drain mode has its own test).
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
            streaming:
              on-client-disconnect: cancel
            """);

    @Test
    void eventsArriveAsTheUpstreamSendsThemNotWhenTheStreamEnds() throws Exception {
        // Warm up first, so the first measured event is not a cold JVM's.
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("warm up", true)).statusCode()).isEqualTo(200);
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            long sent = System.nanoTime();
            raw.post("/v1/messages", Http.userMessage("pace me", true), "x-sim-event-gap-ms", "300", "x-sim-output-tokens", "1");
            assertThat(raw.readHead()).isEqualTo(200);
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(events).extracting(TimedEvent::name).containsExactlyElementsOf(ONE_TOKEN);
            assertThat(raw.ended()).isTrue();

            assertThat(millis(events.getFirst().atNanos() - sent)).as("first event after the request").isLessThan(600);
            for (int i = 1; i < events.size(); i++) {
                long gap = millis(events.get(i).atNanos() - events.get(i - 1).atNanos());
                assertThat(gap).as("gap before %s", events.get(i).name()).isBetween(200L, 600L);
            }
            assertThat(millis(events.getLast().atNanos() - events.getFirst().atNanos()))
                    .as("first event seen long before the last was produced").isGreaterThanOrEqualTo(6 * 200L);
        }
    }

    @Test
    void aStreamTheUpstreamCutsEndsWithAnErrorEventAndAProperEnd() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("cut me", true), "x-sim-fault", "cut:5", "x-sim-output-tokens", "20");
            assertThat(raw.readHead()).isEqualTo(200);
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(events).hasSize(6);
            assertThat(events.subList(0, 5)).extracting(TimedEvent::name)
                    .containsExactly("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta");
            TimedEvent error = events.getLast();
            assertThat(error.name()).isEqualTo("error");
            JsonNode data = Http.json(error.data());
            assertThat(data.path("type").asText()).isEqualTo("error");
            assertThat(data.path("error").path("type").asText()).isEqualTo("api_error");
            assertThat(data.path("request_id").asText()).isEqualTo(raw.header("request-id"));
            assertThat(raw.ended()).as("chunked body terminated").isTrue();
            assertThat(raw.leftover()).isEmpty();
        }
    }

    @Test
    void anErrorEventFromTheUpstreamIsRelayedAsIs() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("overload me", true), "x-sim-fault", "error-event:3");
            assertThat(raw.readHead()).isEqualTo(200);
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(events).extracting(TimedEvent::name)
                    .containsExactly("message_start", "content_block_start", "ping", "error");
            assertThat(Http.json(events.getLast().data()).path("error").path("type").asText()).isEqualTo("overloaded_error");
            assertThat(raw.ended()).isTrue();
        }
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheUpstream() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("leave early", true), "x-sim-event-gap-ms", "200", "x-sim-output-tokens", "30");
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(raw.nextEvent().name()).isEqualTo("message_start");
            assertThat(raw.nextEvent().name()).isEqualTo("content_block_start");
        }
        BilledUsage billed = Await.until(Duration.ofSeconds(3),
                () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(),
                () -> "the simulator to notice the hang-up; billed " + SLUICE.recorder().billed());
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CANCELLED);
        assertThat(billed.outputTokens()).isLessThan(30);
    }

    @Test
    void aClientThatHangsUpBeforeANonStreamedReplyCancelsTheUpstream() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("leave early", false), "x-sim-ttft-ms", "1000");
            Await.until(Duration.ofSeconds(3), () -> SLUICE.recorder().received().isEmpty() ? null : true,
                    () -> "the request to reach the simulator");
        }
        BilledUsage billed = Await.until(Duration.ofSeconds(4),
                () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(),
                () -> "the simulator to notice the hang-up");
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CANCELLED);
    }

    @Test
    void concurrentStreamsDoNotMix() throws Exception {
        int n = 12;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<TimedEvent>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int tokens = 5 + i;
                results.add(pool.submit(() -> {
                    try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
                        raw.post("/v1/messages", Http.userMessage("stream " + tokens, true),
                                "x-sim-output-tokens", Integer.toString(tokens), "x-sim-event-gap-ms", "5");
                        assertThat(raw.readHead()).isEqualTo(200);
                        return raw.remainingEvents();
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                List<TimedEvent> events = results.get(i).get();
                assertThat(events).extracting(TimedEvent::name).endsWith("message_delta", "message_stop");
                assertThat(events.stream().filter(e -> e.name().equals("content_block_delta")).count()).isEqualTo(5 + i);
                JsonNode delta = Http.json(events.get(events.size() - 2).data());
                assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(5 + i);
            }
        }
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
