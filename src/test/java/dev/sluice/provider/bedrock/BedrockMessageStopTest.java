package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.BedrockSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic client of a Bedrock upstream gets Anthropic's {@code message_stop}: {@code {"type":"message_stop"}},
 * without the {@code amazon-bedrock-invocationMetrics} Bedrock adds (attack round 35: a provider's detail on a wire
 * that never carries it, which a strict client may refuse). The other events pass through as Bedrock framed them.
 */
class BedrockMessageStopTest {
    private static SluiceHarness h;

    @BeforeAll
    static void start() {
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: bedrock, provider: bedrock, base-url: "${SIM_URL}", region: us-east-1, auth: sigv4,
                     keys: [{alias: iam, value: "%s:%s"}]}
                routes:
                  - {match: "*", upstream: bedrock, model: %s}
                """.formatted(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, SluiceHarness.MODEL));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void messageStopCarriesNoBedrockMetrics() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("stop cleanly", true));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Http.Event> events = Http.events(r.body());
        assertThat(r.body()).doesNotContain("invocationMetrics");
        Http.Event stop = events.getLast();
        assertThat(stop.name()).isEqualTo("message_stop");
        assertThat(stop.data()).isEqualTo("{\"type\":\"message_stop\"}");
        assertThat(events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow().json()
                .path("usage").path("output_tokens").asLong()).isPositive();
    }
}
