package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static dev.sluice.sim.SimHarness.userMessage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecorderTest {

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
    void receivedKeepsMethodUriHeadersInOrderExactBodyAndKey() throws IOException {
        String body = "{ \"model\":\"m\",  \"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"é\"}] }";
        try (RawHttp raw = new RawHttp(sim.server.port(), "/v1/messages?beta=true", body,
                "X-Custom-B", "2", "x-custom-a", "1", "Connection", "close")) {
            assertThat(raw.readToEof()).startsWith("HTTP/1.1 200");
        }

        ReceivedRequest received = sim.recorder().received().getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.uri()).isEqualTo("/v1/messages?beta=true");
        assertThat(received.body()).isEqualTo(body.getBytes(UTF_8));
        assertThat(received.upstreamKey()).isEqualTo(SimHarness.API_KEY);
        assertThat(received.header("x-custom-b")).isEqualTo("2");
        assertThat(received.headers()).extracting(Map.Entry::getKey).containsExactly("Host", "x-api-key",
                "anthropic-version", "content-type", "content-length", "X-Custom-B", "x-custom-a", "Connection");
    }

    @Test
    void controlEndpointsServeTheRecordsAndReset() {
        sim.post("/v1/messages", userMessage("Hello there", false), SimHeaders.OUTPUT_TOKENS, "4");
        sim.post("/v1/messages", userMessage("hi", false), SimHeaders.FAULT, "500");
        String base = sim.server.baseUrl();

        JsonNode requests = json(sim.send(HttpRequest.newBuilder(URI.create(base + "/_sim/requests")).build()).body());
        assertThat(requests).hasSize(2);
        assertThat(requests.path(0).path("uri").asText()).isEqualTo("/v1/messages");
        assertThat(requests.path(0).path("upstream_key").asText()).isEqualTo(SimHarness.API_KEY);
        assertThat(requests.path(0).path("body").asText()).isEqualTo(userMessage("Hello there", false));

        JsonNode usage = json(sim.send(HttpRequest.newBuilder(URI.create(base + "/_sim/usage")).build()).body());
        assertThat(usage.path("totals").path("requests").asInt()).isEqualTo(2);
        assertThat(usage.path("totals").path("rejected").asInt()).isEqualTo(1);
        assertThat(usage.path("totals").path("input_tokens").asInt()).isEqualTo(3);
        assertThat(usage.path("totals").path("output_tokens").asInt()).isEqualTo(4);
        assertThat(usage.path("billed").path(0).path("id").asText()).startsWith("msg_");
        assertThat(usage.path("billed").path(1).path("outcome").asText()).isEqualTo("rejected");
        assertThat(usage.path("billed").path(1).path("status").asInt()).isEqualTo(500);

        var reset = sim.send(HttpRequest.newBuilder(URI.create(base + "/_sim/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(sim.recorder().received()).isEmpty();
        assertThat(sim.recorder().totals()).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void recorderKeepsOnlyTheNewestEntriesButTotalsEverything() {
        SimRecorder recorder = new SimRecorder();
        for (int i = 0; i < SimRecorder.CAPACITY + 5; i++) {
            recorder.recordBilled(new BilledUsage("msg_" + i, "req_" + i, "k", "m", false, 200,
                    BilledUsage.Outcome.COMPLETED, 1, 2, 0, 0, 0, 0));
        }
        assertThat(recorder.billed()).hasSize(SimRecorder.CAPACITY);
        assertThat(recorder.billed().getFirst().messageId()).isEqualTo("msg_5");
        assertThat(recorder.totals().requests()).isEqualTo(SimRecorder.CAPACITY + 5);
        assertThat(recorder.totals().outputTokens()).isEqualTo(2L * (SimRecorder.CAPACITY + 5));
    }
}
