package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.events;
import static dev.sluice.sim.SimHarness.json;
import static dev.sluice.sim.SimHarness.names;
import static dev.sluice.sim.SimHarness.userMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.RawHttp.TimedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.recorder().clear();
    }

    @Test
    void status429IsARateLimitErrorWithRetryAfterAndBillsZero() {
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "429");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        assertThat(response.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
        assertThat(json(response.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
        BilledUsage billed = sim.recorder().billed().getFirst();
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.REJECTED);
        assertThat(billed.status()).isEqualTo(429);
        assertThat(billed.model()).isEqualTo(SimHarness.MODEL);
        assertThat(billed.totalInputTokens() + billed.outputTokens()).isZero();
    }

    @Test
    void status529And500UseTheirErrorTypes() {
        HttpResponse<String> overloaded = sim.post("/v1/messages", userMessage("hi", true), SimHeaders.FAULT, "529");
        assertThat(overloaded.statusCode()).isEqualTo(529);
        assertThat(json(overloaded.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");

        HttpResponse<String> broken = sim.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "500");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(json(broken.body()).path("error").path("type").asText()).isEqualTo("api_error");
    }

    @Test
    void resetClosesTheConnectionBeforeAnyHeader() throws IOException {
        assertThatThrownBy(() -> sim.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "reset"))
                .isInstanceOf(UncheckedIOException.class);
        try (RawHttp raw = new RawHttp(sim.server.port(), "/v1/messages", userMessage("hi", false),
                SimHeaders.FAULT, "reset")) {
            assertThat(raw.readToEof()).isEmpty();
            assertThat(raw.serverClosed()).isTrue();
        }
        assertThat(sim.recorder().billed()).hasSize(2)
                .allSatisfy(b -> assertThat(b.outcome()).isEqualTo(BilledUsage.Outcome.RESET));
    }

    @Test
    void cutStreamDropsTheConnectionAfterNEventsAndBillsWhatWasWritten() throws IOException {
        List<TimedEvent> received;
        try (RawHttp raw = new RawHttp(sim.server.port(), "/v1/messages", userMessage("Hello there", true),
                SimHeaders.FAULT, "cut:5")) {
            received = raw.remainingEvents();
            assertThat(raw.serverClosed()).isTrue();
            assertThat(raw.completed()).isFalse();
        }
        assertThat(received).extracting(TimedEvent::name).containsExactly(
                "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta");

        BilledUsage billed = sim.awaitBilled(b -> true);
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CUT);
        assertThat(billed.cut()).isTrue();
        assertThat(billed.inputTokens()).isEqualTo(3);
        assertThat(billed.outputTokens()).isEqualTo(2);
        assertThat(sim.recorder().totals().cut()).isEqualTo(1);
        assertThat(sim.recorder().totals().outputTokens()).isEqualTo(2);

        assertThatThrownBy(() -> sim.post("/v1/messages", userMessage("hi", true), SimHeaders.FAULT, "cut:5"))
                .as("a real client must see the cut as an error").isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void cutNonStreamSendsHalfTheBodyThenDrops() throws IOException {
        String raw;
        try (RawHttp http = new RawHttp(sim.server.port(), "/v1/messages", userMessage("hi", false),
                SimHeaders.FAULT, "cut:0")) {
            raw = http.readToEof();
            assertThat(http.serverClosed()).isTrue();
        }
        assertThat(raw).startsWith("HTTP/1.1 200");
        int declared = Integer.parseInt(raw.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(body.length()).isEqualTo(declared / 2);

        BilledUsage billed = sim.awaitBilled(b -> true);
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CUT);
        assertThat(billed.outputTokens()).isEqualTo(40);
    }

    @Test
    void slowDelaysTheResponseHeaders() {
        long start = System.nanoTime();
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "slow:300");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsedMillis).isBetween(300L, 3_000L);
    }

    @Test
    void errorEventEndsTheStreamWithOverloadedAfterNEvents() {
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("hi", true),
                SimHeaders.FAULT, "error-event:4");

        assertThat(response.statusCode()).isEqualTo(200);
        List<SimHarness.Event> events = events(response.body());
        assertThat(names(events)).containsExactly(
                "message_start", "content_block_start", "ping", "content_block_delta", "error");
        JsonNode error = events.getLast().data();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("overloaded_error");
        BilledUsage billed = sim.awaitBilled(b -> true);
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.ERROR_EVENT);
        assertThat(billed.outputTokens()).isEqualTo(1);
    }

    @Test
    void clientHangingUpMidStreamIsBilledAsCancelledWithTheTokensWritten() throws IOException {
        try (RawHttp raw = new RawHttp(sim.server.port(), "/v1/messages", userMessage("hi", true),
                SimHeaders.EVENT_GAP_MS, "100")) {
            TimedEvent event;
            do {
                event = raw.nextEvent();
            } while (!event.name().equals("content_block_delta"));
        } // closing the socket hangs up

        BilledUsage billed = sim.awaitBilled(b -> true);
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CANCELLED);
        assertThat(billed.cut()).isTrue();
        assertThat(billed.outputTokens()).isBetween(1, 3); // the one read, maybe more in flight; never all 40
        assertThat(billed.inputTokens()).isEqualTo(1);
    }

    @Test
    void malformedFaultHeaderIsABadRequestNamingTheValue() {
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "cut:many");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText()).contains("cut:many");
    }

    @Test
    void defaultFaultAppliesUnlessTheHeaderSaysNone() {
        try (SimHarness faulty = SimHarness.start(SimOptions.defaults().withInstances(1).withDefaultFault("529"))) {
            assertThat(faulty.post("/v1/messages", userMessage("hi", false)).statusCode()).isEqualTo(529);
            assertThat(faulty.post("/v1/messages/count_tokens", userMessage("hi", false)).statusCode()).isEqualTo(529);
            assertThat(faulty.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "none").statusCode())
                    .isEqualTo(200);
        }
    }
}
