package dev.sluice.front.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Vertex door through the whole gateway to the simulated Anthropic upstream: what of the client's call goes on. */
class VertexDoorHeadersTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @Test
    void googlesOwnHeadersAndItsApiKeyStayAtTheDoor() {
        // attack round 29: a Google API key in x-goog-api-key (Vertex's key header) went on to the Anthropic upstream,
        // with the other x-goog-* headers, as any unknown header does.
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl()
                        + "/vertex/v1/projects/p1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("x-goog-api-key", "AIzaSyEXAMPLE-google-api-key").header("x-goog-user-project", "p1")
                .header("x-goog-api-client", "gl-node/20 auth/9").header("x-app", "cli")
                .POST(HttpRequest.BodyPublishers.ofString("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":5,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest up = SLUICE.recorder().received().getLast();
        assertThat(up.headers()).noneSatisfy(h -> assertThat(h.getKey().toLowerCase()).startsWith("x-goog-"));
        assertThat(up.bodyText()).doesNotContain("AIzaSy");
        assertThat(up.header("x-app")).as("the client's other headers go on as from an Anthropic client").isEqualTo("cli");
    }
}
