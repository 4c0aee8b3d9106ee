package dev.sluice.e2e;

import static dev.sluice.e2e.StreamingTest.millis;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RawHttp.TimedEvent;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Silence, in its places: before the upstream answers, inside a stream (pings), too long inside a
 * stream or a body, and the silence of a slow reader, which is not the upstream's.
 */
class TimeoutsTest {
    /** An upstream the simulator cannot play: it sends a response head and part of a JSON body, then nothing. */
    private static final StallingUpstream STALLER = StallingUpstream.start();

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
              - name: staller
                base-url: http://127.0.0.1:%d
                keys: [{alias: s, value: sk-stall}]
            routes:
              - match: claude-stall
                upstream: staller
              - match: "*"
                upstream: sim
            timeouts:
              first-byte: 1s
              # Over two 700 ms gaps: the simulator's ping between two of them is no progress.
              idle: 2s
            streaming:
              ping-interval: 200ms
            """.formatted(STALLER.port()));

    @AfterAll
    static void stopStaller() throws Exception {
        STALLER.close();
    }

    @Test
    void aNonStreamedBodyThatStallsLongerThanTheIdleTimeoutIsA504() {
        long t0 = System.nanoTime();
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                Http.userMessage("hi", false).replace(SluiceHarness.MODEL, "claude-stall"));
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(504);
        ErrorPathsTest.assertEnvelope(resp, "timeout_error");
        assertThat(millis(System.nanoTime() - t0)).isLessThan(5_000);
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIsA504() {
        long t0 = System.nanoTime();
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false),
                "x-sim-fault", "slow:2500");
        assertThat(resp.statusCode()).isEqualTo(504);
        ErrorPathsTest.assertEnvelope(resp, "timeout_error");
        assertThat(millis(System.nanoTime() - t0)).as("answered at the first-byte timeout, not the upstream's pace").isLessThan(2300);
        // The abandoned upstream request is cancelled, not left to generate for nobody.
        BilledUsage billed = Await.until(Duration.ofSeconds(5),
                () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(),
                () -> "the simulator to finish the slow request");
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CANCELLED);
    }

    @Test
    void theClientGetsPingsWhileTheUpstreamIsSilent() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("slow", true), "x-sim-event-gap-ms", "700", "x-sim-output-tokens", "3");
            assertThat(raw.readHead()).isEqualTo(200);
            List<TimedEvent> seen = new ArrayList<>();
            int upstreamEvents = 0;
            while (upstreamEvents < 4) {
                TimedEvent e = raw.nextEvent();
                assertThat(e).as("stream ended early after %s", seen).isNotNull();
                seen.add(e);
                if (!isGatewayPing(e)) {
                    upstreamEvents++;
                }
            }
            // message_start, content_block_start, the simulator's own ping, a delta: three silences of 700 ms.
            List<String> upstream = seen.stream().filter(e -> !isGatewayPing(e)).map(TimedEvent::name).toList();
            assertThat(upstream).containsExactly("message_start", "content_block_start", "ping", "content_block_delta");
            int silence = 0;
            for (TimedEvent e : seen) {
                if (isGatewayPing(e)) {
                    silence++;
                    assertThat(e.raw()).isEqualTo("event: ping\ndata: {\"type\": \"ping\"}\n\n");
                } else if (!e.name().equals("message_start")) {
                    assertThat(silence).as("pings before %s in %s", e.name(), seen).isGreaterThanOrEqualTo(1);
                    silence = 0;
                }
            }
        }
    }

    @Test
    void aStreamSilentForLongerThanTheIdleTimeoutEndsWithATimeoutErrorAndCancelsTheUpstream() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("stall", true), "x-sim-event-gap-ms", "3000");
            assertThat(raw.readHead()).isEqualTo(200);
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(events.getFirst().name()).isEqualTo("message_start");
            TimedEvent last = events.getLast();
            assertThat(last.name()).isEqualTo("error");
            JsonNode data = Http.json(last.data());
            assertThat(data.path("error").path("type").asText()).isEqualTo("timeout_error");
            assertThat(millis(last.atNanos() - events.getFirst().atNanos())).isLessThan(2800);
            assertThat(raw.ended()).isTrue();
        }
        BilledUsage billed = Await.until(Duration.ofSeconds(3),
                () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(),
                () -> "the simulator to see the cancellation");
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CANCELLED);
    }

    @Test
    void aSlowReaderIsNotMistakenForASilentUpstream() throws Exception {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":80000,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a long answer\"}]}";
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort(), 16 * 1024)) {
            raw.post("/v1/messages", body, "x-sim-output-tokens", "80000");
            assertThat(raw.readHead()).isEqualTo(200);
            // Read nothing for longer than the idle timeout: the gateway has to hold the upstream back meanwhile.
            Thread.sleep(3_000);
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(events.getLast().name()).as("last of %d events", events.size()).isEqualTo("message_stop");
            assertThat(events).noneMatch(e -> e.name().equals("error"));
            assertThat(events.stream().filter(e -> e.name().equals("content_block_delta")).count()).isEqualTo(80000);
        }
    }

    @Test
    void aQuickRequestIsNotAffectedByTheShortTimeouts() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false));
        assertThat(resp.statusCode()).isEqualTo(200);
    }

    /** The gateway's pings are spaced {@code "type": "ping"}; the simulator's have no space. */
    private static boolean isGatewayPing(TimedEvent e) {
        return e.name().equals("ping") && e.data().equals("{\"type\": \"ping\"}");
    }
}
