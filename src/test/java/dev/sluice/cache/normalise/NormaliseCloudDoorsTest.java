package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.CaptureCalls;
import dev.sluice.cache.Captures;
import dev.sluice.sim.SimOptions;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claude Code in Bedrock or Vertex mode gets upstream normalisation as through the Anthropic door: its body is the same. */
class NormaliseCloudDoorsTest {
    private static SluiceHarness gw;

    @BeforeAll
    static void start() {
        gw = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                cache:
                  routes:
                    - {match: "claude-opus-5-5", normalise-upstream: true}
                """, SimOptions.defaults().withInstances(1).withScript("agent"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** Bob's first turn with {@code maxTokens} (each door its own, or the second would be the first one's cache hit). */
    private static ObjectNode bobsTurn(int maxTokens) throws Exception {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(new String(Captures.body("bob-turn1"), UTF_8)
                .replace("What does the add function in this repository do? Look at the code before answering.", "Explain calc.py."));
        body.remove("model");
        body.remove("stream");
        body.put("max_tokens", maxTokens);
        return body;
    }

    private static void assertNormalisedAndMappedBack(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue(Normalisation.HEADER)).hasValue("normalised");
        JsonNode m = Json.MAPPER.readTree(r.body());
        assertThat(m.get("content").get(m.get("content").size() - 1).path("input").path("file_path").asText())
                .isEqualTo("/home/bob/work/projects/calc/calc.py");
        assertThat(gw.recorder().received().getLast().bodyText()).contains("/workspace/calc").doesNotContain("/home/bob");
    }

    @Test
    void aVertexModeTurnIsNormalisedUpstreamAndMappedBackForItsDeveloper() throws Exception {
        ObjectNode body = bobsTurn(4000);
        body.put("anthropic_version", "vertex-2023-10-16");
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(gw.gatewayUrl()
                        + "/vertex/v1/projects/proj/locations/us-east5/publishers/anthropic/models/claude-opus-5-5:rawPredict"))
                .timeout(Duration.ofSeconds(30)).header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01").header("anthropic-beta", CaptureCalls.BETAS)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        assertNormalisedAndMappedBack(r);
    }

    @Test
    void aBedrockModeTurnIsNormalisedUpstreamAndMappedBackForItsDeveloper() throws Exception {
        ObjectNode body = bobsTurn(8000);
        body.put("anthropic_version", "bedrock-2023-05-31");
        ArrayNode betas = body.putArray("anthropic_beta");
        for (String b : CaptureCalls.BETAS.split(",")) {
            betas.add(b);
        }
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(gw.gatewayUrl() + "/bedrock/model/us.anthropic.claude-opus-5-5/invoke"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        assertNormalisedAndMappedBack(r);
    }
}
