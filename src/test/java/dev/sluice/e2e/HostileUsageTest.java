package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upstream that reports usage no API means ({@code x-sim-usage} makes the simulator write it): the ledger never
 * takes it for an exact bill. Counts of the wrong type, counts that go down within a stream, and absurd server-tool
 * counts are each billed from a stand-in and flagged as estimated; the client still gets its answer.
 */
class HostileUsageTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @Test
    void aCountWrittenAsAStringIsBilledAndFlagged() {
        JsonNode a = onlyAttempt(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("strings", false),
                "x-sim-usage", "{\"input_tokens\":\"5000\"}"));
        assertThat(a.at("/usage/input_tokens").asLong()).isEqualTo(5000);
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
        JsonNode word = onlyAttempt(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("words", false),
                "x-sim-usage", "{\"output_tokens\":\"many\"}"));
        assertThat(word.path("usage_estimated").asBoolean()).isTrue();
    }

    @Test
    void aStreamWhoseFinalDeltaZeroesTheInputKeepsItAndFlags() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("zeroed prompt", true),
                "x-sim-usage", "{\"input_tokens\":0}");
        assertThat(r.body()).contains("message_stop");
        JsonNode a = onlyAttempt(r);
        assertThat(a.at("/usage/input_tokens").asLong()).isPositive();
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
    }

    @Test
    void aHundredMillionWebSearchesAreHeldAtTheBoundAndFlagged() {
        JsonNode a = onlyAttempt(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("search a lot", false),
                "x-sim-usage", "{\"server_tool_use\":{\"web_search_requests\":100000000}}"));
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
        // 10,000 searches at $0.01, plus the tokens: never the $1M a hundred million searches would bill
        assertThat(new BigDecimal(a.path("cost_usd").asText())).isBetween(new BigDecimal("100"), new BigDecimal("101"));
    }

    @Test
    void theSimulatorRefusesAUsageThatIsNotAnObject() {
        HttpResponse<String> r = Http.post(SLUICE.simUrl(), "/v1/messages", Http.userMessage("bad knob", false),
                "x-sim-usage", "[1]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("x-sim-usage");
    }

    private static JsonNode onlyAttempt(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var attempts = Http.attempts(SLUICE.gatewayUrl(), r);
        assertThat(attempts).hasSize(1);
        return attempts.getFirst();
    }
}
