package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.NpmPackage;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code @anthropic-ai/vertex-sdk} (installed from {@code src/test/npm}) through the Vertex front door to
 * the simulated Anthropic upstream, with the gateway key as its bearer: create, a stream, a streamed tool call and its
 * result, count tokens, and a Google OAuth token refused with a message the SDK surfaces.
 */
class VertexNpmSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML);

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private JsonNode run(String step) throws Exception {
        Path module = NpmPackage.require("@anthropic-ai/vertex-sdk");
        Path script = work.resolve("vertex-front-door.cjs");
        try (var in = VertexNpmSdkTest.class.getResourceAsStream("/npm/vertex-front-door.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        NpmPackage.Run r = NpmPackage.run(script, work, Map.of("VERTEX_MODULE", module.toString(),
                "VERTEX_BASE_URL", SLUICE.gatewayUrl() + "/vertex/v1", "GATEWAY_KEY", SluiceHarness.GATEWAY_KEY,
                "MODEL", "claude-sonnet-4-5@20250929", "STEP", step), Duration.ofSeconds(60));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Http.json(r.stdout());
    }

    @Test
    void createIsPricedAndSaysItsCost() throws Exception {
        JsonNode out = run("create");
        assertThat(out.at("/message/type").asText()).isEqualTo("message");
        assertThat(out.at("/message/content/0/text").asText()).isNotBlank();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("served_model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(new BigDecimal(out.path("cost").asText())).isEqualByComparingTo(new BigDecimal(attempt.path("cost_usd").asText()))
                .isPositive();
        assertThat(SLUICE.recorder().received().getLast().uri()).isEqualTo("/v1/messages");
    }

    @Test
    void aStreamReadsAsTheSdkExpects() throws Exception {
        JsonNode out = run("stream");
        assertThat(out.path("names").toString()).startsWith("[\"message_start\"").endsWith("\"message_stop\"]");
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), out.path("requestId").asText(), 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(SLUICE.recorder().billed().getLast()));
    }

    @Test
    void aStreamedToolCallAndItsResult() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather"));
        JsonNode out = run("tools");
        assertThat(out.at("/first/stop_reason").asText()).isEqualTo("tool_use");
        JsonNode call = out.at("/first/content").findParent("input");
        assertThat(call.path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("input").has("city")).isTrue();
        assertThat(out.at("/second/type").asText()).isEqualTo("message");
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
    }

    @Test
    void countTokens() throws Exception {
        JsonNode out = run("count");
        assertThat(out.at("/result/input_tokens").asLong()).isPositive();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void aGoogleTokenIsRefusedWithWhatToSendInstead() throws Exception {
        JsonNode error = run("google-token").path("error");
        assertThat(error.path("status").asInt()).isEqualTo(401);
        assertThat(error.path("type").asText()).isEqualTo("authentication_error");
        assertThat(error.path("message").asText()).contains("Google OAuth access token").contains("gateway key");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
