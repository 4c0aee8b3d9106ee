package dev.sluice.front.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.eventstream.Message;

/**
 * The Bedrock door in front of a Bedrock upstream (a team moving its Bedrock traffic behind the gateway): the door's
 * canonical request is adapted again for Bedrock by the provider, the betas travel header → body, and the answer's
 * {@code amazon-bedrock-invocationMetrics} reach the client with the counts the ledger holds (the upstream's own are cut
 * out by the Bedrock decoder, as from every canonical answer; the door writes them from the usage it relayed).
 */
class BedrockDoorToBedrockTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: bedrock
                provider: bedrock
                base-url: ${SIM_URL}
                region: us-east-1
                inference-profile: us
                keys: [{alias: bedrock-api-key, value: ABSKc2x1aWNlLWdhdGV3YXk=}]
            routes:
              - {match: "claude-*", upstream: bedrock}
            """);

    @Test
    void aStreamGoesBedrockToBedrockWithTheUpstreamsOwnMetrics() {
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"interleaved-thinking-2025-05-14\"],"
                + "\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        HttpResponse<byte[]> r = Http.client().sendAsync(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl()
                        + "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray()).join();
        assertThat(r.statusCode()).as(new String(r.body(), UTF_8)).isEqualTo(200);

        ReceivedRequest up = SLUICE.recorder().received().getLast();
        assertThat(up.uri()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
        JsonNode sent = Http.json(up.bodyText());
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.path("anthropic_beta").toString()).isEqualTo("[\"interleaved-thinking-2025-05-14\"]");
        assertThat(sent.has("model") || sent.has("stream")).isFalse();

        List<Message> frames = BedrockDoorTest.frames(r.body());
        JsonNode last = Http.json(new String(Base64.getDecoder().decode(
                Http.json(new String(frames.getLast().getPayload(), UTF_8)).path("bytes").asText()), UTF_8));
        assertThat(last.path("type").asText()).isEqualTo("message_stop");
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1);
        assertThat(last.at("/amazon-bedrock-invocationMetrics/outputTokenCount").asLong())
                .isEqualTo(records.at("/attempts/0/usage/output_tokens").asLong());
        assertThat(last.at("/amazon-bedrock-invocationMetrics/invocationLatency").isNumber()).isTrue();
        assertThat(records.at("/attempts/0/provider").asText()).isEqualTo("bedrock");
    }
}
