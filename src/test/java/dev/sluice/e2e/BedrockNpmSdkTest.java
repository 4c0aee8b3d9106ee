package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.NpmPackage;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code @anthropic-ai/bedrock-sdk} npm package (installed from {@code src/test/npm}), with the gateway's
 * key as {@code AWS_BEARER_TOKEN_BEDROCK}, through the Bedrock door to the simulated Anthropic upstream: a message, a
 * stream the SDK decodes from Bedrock's event stream, a tool call and its result, and a throttled call as the SDK's
 * error. Usage the SDK read equals what the simulator billed, as does the ledger.
 */
class BedrockNpmSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML);

    @TempDir
    Path work;

    private JsonNode run(String step) throws Exception {
        Path module = NpmPackage.require("@anthropic-ai/bedrock-sdk");
        Path script = work.resolve("bedrock-front-door.cjs");
        try (var in = BedrockNpmSdkTest.class.getResourceAsStream("/npm/bedrock-front-door.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        Map<String, String> env = Map.of("BEDROCK_MODULE", module.toString(),
                "ANTHROPIC_BEDROCK_BASE_URL", SLUICE.gatewayUrl() + "/bedrock", "AWS_BEARER_TOKEN_BEDROCK", SluiceHarness.GATEWAY_KEY,
                "MODEL", "us.anthropic." + SluiceHarness.MODEL + "-v1:0", "STEP", step);
        NpmPackage.Run r = NpmPackage.run(script, work, env, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Http.json(r.stdout());
    }

    @Test
    void aMessageWithItsCostAndTheLedgerAgrees() throws Exception {
        JsonNode out = run("create");
        assertThat(out.at("/message/content/0/text").asText()).isNotBlank();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(out.at("/message/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens());
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1);
        assertThat(GatewayCalls.usage(records.path("attempts").get(0))).isEqualTo(GatewayCalls.usage(billed));
        assertThat(out.path("cost").asText()).isEqualTo(records.path("cost_usd").asText());
    }

    @Test
    void aStreamIsDecodedByTheSdkFromBedrocksEventStream() throws Exception {
        JsonNode out = run("stream");
        assertThat(out.path("types").toString()).startsWith("[\"message_start\"").endsWith("\"message_stop\"]");
        assertThat(out.at("/message/content/0/text").asText()).isNotBlank();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(out.at("/message/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(SLUICE.recorder().received().getLast().header("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1);
        assertThat(GatewayCalls.usage(records.path("attempts").get(0))).isEqualTo(GatewayCalls.usage(billed));
    }

    @Test
    void aToolCallAndItsResultGoRoundTheLoop() throws Exception {
        JsonNode out = run("tools");
        assertThat(out.at("/call/name").asText()).isEqualTo("get_weather");
        assertThat(out.at("/answer/stop_reason").asText()).isEqualTo("end_turn");
        assertThat(SLUICE.recorder().received().getLast().bodyText()).contains("\"tool_result\"").contains("sunny, 21 C");
    }

    @Test
    void aThrottledCallIsTheSdksRateLimitError() throws Exception {
        JsonNode out = run("error");
        assertThat(out.at("/error/status").asInt()).isEqualTo(429);
        assertThat(out.at("/error/name").asText()).isEqualTo("RateLimitError");
        assertThat(out.at("/error/type").asText()).isEqualTo("ThrottlingException");
    }
}
