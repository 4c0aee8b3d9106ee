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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm SDK (installed from {@code src/test/npm}) through the OpenAI front door to an
 * Anthropic upstream: create, a stream with the usage chunk, a streamed tool call assembled by the SDK's own
 * helper and its tool-result turn. Usage the SDK read equals what the simulator billed, as does the ledger.
 */
class OpenAiNpmSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML);

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private JsonNode run(String step, Map<String, String> extra) throws Exception {
        Path module = NpmPackage.require("openai");
        Path script = work.resolve("openai-front-door.cjs");
        try (var in = OpenAiNpmSdkTest.class.getResourceAsStream("/npm/openai-front-door.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        Map<String, String> env = new HashMap<>(Map.of("OPENAI_MODULE", module.toString(),
                "OPENAI_BASE_URL", SLUICE.gatewayUrl() + "/v1", "OPENAI_API_KEY", SluiceHarness.GATEWAY_KEY,
                "MODEL", SluiceHarness.MODEL, "STEP", step));
        env.putAll(extra);
        NpmPackage.Run r = NpmPackage.run(script, work, env, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Http.json(r.stdout());
    }

    private static void assertUsage(JsonNode usage, BilledUsage billed) {
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(billed.totalInputTokens());
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
    }

    @Test
    void createGivesACompletionWithExactUsageAndTheLedgerAgrees() throws Exception {
        JsonNode out = run("create", Map.of());
        JsonNode completion = out.path("completion");
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.at("/choices/0/message/content").asText()).isNotBlank();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertUsage(completion.path("usage"), billed);
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        // The SDK reads the request id from x-request-id: the gateway's own, the one its ledger knows.
        assertThat(out.path("sdkRequestId").asText()).isEqualTo(out.path("requestId").asText());
    }

    @Test
    void aRefusalCarriesTheRequestIdTheSdkReads() throws Exception {
        Path module = NpmPackage.require("openai");
        Path script = work.resolve("openai-front-door.cjs");
        try (var in = OpenAiNpmSdkTest.class.getResourceAsStream("/npm/openai-front-door.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        NpmPackage.Run r = NpmPackage.run(script, work, Map.of("OPENAI_MODULE", module.toString(),
                "OPENAI_BASE_URL", SLUICE.gatewayUrl() + "/v1", "OPENAI_API_KEY", SluiceHarness.GATEWAY_KEY,
                "MODEL", SluiceHarness.MODEL, "STEP", "refused"), Duration.ofSeconds(60));
        JsonNode error = Http.json(r.stdout()).path("error");
        assertThat(error.path("status").asInt()).as(r.toString()).isEqualTo(400);
        assertThat(error.path("requestID").asText()).startsWith("req_");
    }

    @Test
    void aStreamEndsWithTheUsageChunk() throws Exception {
        JsonNode out = run("stream", Map.of());
        assertThat(out.path("text").asText()).isNotBlank();
        assertThat(out.path("finish").asText()).isEqualTo("stop");
        assertThat(out.path("chunks").asInt()).isGreaterThan(3);
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertUsage(out.path("usage"), billed);
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
    }

    @Test
    void aStreamedToolCallAndItsResult() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather"));
        JsonNode out = run("tools", Map.of());
        assertThat(out.path("finish").asText()).isEqualTo("tool_calls");
        JsonNode call = out.at("/message/tool_calls/0");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(Http.json(call.at("/function/arguments").asText()).has("city")).isTrue();

        SLUICE.harness().sim().standingDirectives(Map.of());
        JsonNode answer = run("tool-result", Map.of("TOOL_CALL", call.toString()));
        assertThat(answer.at("/message/content").asText()).isNotBlank();
        assertUsage(answer.path("usage"), SLUICE.recorder().billed().getLast());
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
    }
}
