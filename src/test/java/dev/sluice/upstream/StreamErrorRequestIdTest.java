package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream's {@code event: error} in the middle of a relayed stream names the gateway's request id, as a relayed
 * error body does (README, "What every response says"). Attack round 32: a 529 mid-stream reached Claude Code with the
 * upstream's {@code req_011...}, an id the gateway's ledger, audit log and logs do not hold.
 */
class StreamErrorRequestIdTest {
    private static SluiceHarness h;

    @BeforeAll
    static void start() {
        h = SluiceHarness.start(SluiceHarness.BASE_YAML);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void theErrorEventOfARelayedStreamNamesTheGatewaysRequestId() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("a long answer, please", true),
                "x-sim-fault", "error-event:4");
        assertThat(r.statusCode()).isEqualTo(200);
        List<Http.Event> events = Http.events(r.body());
        assertThat(Http.names(events)).contains("content_block_delta").last().isEqualTo("error");
        Http.Event error = events.getLast();
        assertThat(error.json().path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(error.json().path("request_id").asText()).isEqualTo(Http.requestId(r));
        assertThat(Http.attempts(h.gatewayUrl(), r)).singleElement()
                .satisfies(a -> assertThat(a.path("error_type").asText()).isEqualTo("overloaded_error"));
    }
}
