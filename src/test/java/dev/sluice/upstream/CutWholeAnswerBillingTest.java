package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.SimGatewayYaml;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A whole (non-streamed) answer cut mid-body after its 2xx head, then a fallback: the cut attempt is billed as an
 * estimate (the request's bytes / 4 in, the answer's bytes received / 4 out, flagged), whatever the upstream's wire.
 * Attack round 35: the simulator billed 7 input and 40 output tokens for a Bedrock answer it cut, and the ledger
 * recorded that attempt at $0 before the Vertex fallback answered; a non-streamed answer is generated, so billed, in
 * full before its first byte leaves.
 */
class CutWholeAnswerBillingTest {
    /** Each of four upstreams first for its model prefix, the Claude primary behind it. */
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SimGatewayYaml.upstreams(SimGatewayYaml.CLAUDE,
                    "{name: anth, base-url: \"${SIM_URL}\", keys: [{alias: a, value: sk-ant-cut-whole}]}",
                    SimGatewayYaml.bedrock(), SimGatewayYaml.vertex(),
                    SimGatewayYaml.openai("sk-openai-cut-whole", "models: {oai-sonnet: gpt-4.1}"))
            .neverBench().routes("""
                    - {match: "anth-*", targets: [{upstream: anth, priority: 1, model: %1$s}, {upstream: claude, priority: 2, model: %1$s}]}
                    - {match: "bedrock-*", targets: [{upstream: bedrock, priority: 1, model: %1$s}, {upstream: claude, priority: 2, model: %1$s}]}
                    - {match: "vertex-*", targets: [{upstream: vertex, priority: 1, model: %1$s}, {upstream: claude, priority: 2, model: %1$s}]}
                    - {match: "oai-*", targets: [{upstream: oai, priority: 1}, {upstream: claude, priority: 2, model: %1$s}]}
                    """.formatted(SluiceHarness.MODEL)));

    @AfterEach
    void clear() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    @ParameterizedTest
    @CsvSource({"anth-sonnet, sk-ant-cut-whole", "bedrock-sonnet, " + BedrockSim.ACCESS_KEY_ID,
            "vertex-sonnet, " + VertexSim.STATIC_TOKEN, "oai-sonnet, sk-openai-cut-whole"})
    void theCutAttemptIsBilledAsAnEstimate(String model, String cutKey) {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "cut:1", "x-sim-fault-key", cutKey));
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":256,\"stream\":false,\"messages\":[{\"role\":\"user\","
                + "\"content\":" + Http.quote("Explain write-ahead logging briefly. ".repeat(10)) + "}]}";
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        BilledUsage cut = SLUICE.recorder().billed().stream().filter(b -> cutKey.equals(b.upstreamKey())).toList().getLast();
        assertThat(cut.outcome()).isEqualTo(BilledUsage.Outcome.CUT);
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), r);
        assertThat(attempts).hasSize(2);
        JsonNode first = attempts.getFirst();
        assertThat(first.path("usage_estimated").asBoolean()).as(first.toString()).isTrue();
        assertThat(first.path("usage").path("input_tokens").asLong()).as("the request's bytes / 4: " + first)
                .isEqualTo(body.getBytes(StandardCharsets.UTF_8).length / 4);
        assertThat(first.path("usage").path("output_tokens").asLong()).as("the answer's bytes received / 4: " + first)
                .isPositive();
        assertThat(attempts.get(1).path("usage_estimated").asBoolean()).isFalse();
    }
}
