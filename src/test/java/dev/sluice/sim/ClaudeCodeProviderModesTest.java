package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ClaudeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's Bedrock and Vertex wires held to real clients: the Claude Code CLI in its own Bedrock mode
 * (the AWS SDK for JavaScript signs with SigV4 and decodes the binary event stream) and Vertex mode (Google's
 * auth library for Node fetches a token from the simulator's token endpoint), talking to the simulator directly.
 */
class ClaudeCodeProviderModesTest {
    private static SimHarness sim;
    private static Path bin;

    @BeforeAll
    static void start() {
        bin = ClaudeCli.require();
        sim = SimHarness.start(SimOptions.defaults().withInstances(1));
    }

    @AfterAll
    static void stop() {
        if (sim != null) { // null when start() was aborted because the CLI is not installed: a skip, not an error
            sim.close();
        }
    }

    @Test
    void bedrockMode() throws Exception {
        sim.recorder().clear();
        Path dir = Files.createTempDirectory("cc-bedrock");
        ClaudeCli.Result r = ClaudeCli.run(bin, dir, dir.resolve("home"), Map.of(
                "CLAUDE_CODE_USE_BEDROCK", "1",
                "ANTHROPIC_BEDROCK_BASE_URL", sim.server.baseUrl(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", BedrockSim.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", BedrockSim.SECRET_ACCESS_KEY,
                "ANTHROPIC_MODEL", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"), Duration.ofSeconds(90), "-p", "Say hi.");
        List<ReceivedRequest> invokes = sim.recorder().received().stream().filter(q -> q.uri().startsWith("/model/")).toList();
        assertThat(invokes).as(r + "\nreceived: " + sim.recorder().received().stream().map(ReceivedRequest::uri).toList()).isNotEmpty();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.recorder().billed()).isNotEmpty().allMatch(b -> b.status() == 200);
        assertThat(invokes.getFirst().header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockSim.ACCESS_KEY_ID);
    }

    @Test
    void vertexMode() throws Exception {
        sim.recorder().clear();
        Path dir = Files.createTempDirectory("cc-vertex");
        ClaudeCli.Result r = ClaudeCli.run(bin, dir, dir.resolve("home"), Map.of(
                "CLAUDE_CODE_USE_VERTEX", "1",
                "ANTHROPIC_VERTEX_BASE_URL", sim.server.baseUrl() + "/v1",
                "ANTHROPIC_VERTEX_PROJECT_ID", "acme",
                "CLOUD_ML_REGION", "us-east5",
                "CLAUDE_CODE_SKIP_VERTEX_AUTH", "1",
                "ANTHROPIC_CUSTOM_HEADERS", "Authorization: Bearer " + VertexSim.STATIC_TOKEN,
                "ANTHROPIC_MODEL", "claude-sonnet-4-5@20250929",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"), Duration.ofSeconds(90), "-p", "Say hi.");
        List<ReceivedRequest> calls = sim.recorder().received().stream().filter(q -> q.uri().contains("/publishers/anthropic/")).toList();
        assertThat(calls).as(r + "\nreceived: " + sim.recorder().received().stream().map(ReceivedRequest::uri).toList()).isNotEmpty();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.recorder().billed()).isNotEmpty().allMatch(b -> b.status() == 200);
    }
}
