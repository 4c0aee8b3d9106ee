package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SimGatewayYaml;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An Anthropic client of a Bedrock upstream gets Anthropic's {@code message_stop}: {@code {"type":"message_stop"}},
 * without the {@code amazon-bedrock-invocationMetrics} Bedrock adds (attack round 35: a provider's detail on a wire
 * that never carries it, which a strict client may refuse). The other events pass through as Bedrock framed them.
 */
class BedrockMessageStopTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SimGatewayYaml.upstreams(SimGatewayYaml.bedrock())
            .routes("- {match: \"*\", upstream: bedrock, model: " + SluiceHarness.MODEL + "}"));

    @Test
    void messageStopCarriesNoBedrockMetrics() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("stop cleanly", true));
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
