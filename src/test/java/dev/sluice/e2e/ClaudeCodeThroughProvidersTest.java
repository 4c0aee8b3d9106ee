package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TcpTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI's agent loop (a Read tool round trip) served through the Bedrock adapter and through
 * the Vertex adapter. A tap between the CLI and the gateway records what the CLI sent; the simulated Bedrock and
 * Vertex must receive the same conversation: every field but the ones each provider moves (the model into the path,
 * Bedrock's betas into {@code anthropic_beta}), {@code cache_control} everywhere it was, and every beta.
 */
class ClaudeCodeThroughProvidersTest {
    private static final String BEDROCK = """
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: bedrock
                provider: bedrock
                base-url: ${SIM_URL}
                region: us-east-1
                inference-profile: us
                auth: sigv4
                keys: [{alias: iam, value: "%s:%s"}]
            """.formatted(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY);
    private static final String VERTEX = """
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: vertex
                provider: vertex
                base-url: ${SIM_URL}
                project: sluice-sim-project
                region: us-east5
                keys: [{alias: token, value: %s}]
            """.formatted(VertexSim.STATIC_TOKEN);

    @Test
    void theAgentLoopThroughBedrock(@TempDir Path tmp) throws Exception {
        try (SluiceHarness h = SluiceHarness.start(BEDROCK)) {
            Exchanged run = agentLoop(h, tmp);
            for (int i = 0; i < run.sent().size(); i++) {
                ReceivedRequest in = run.received().get(i);
                JsonNode cli = Http.json(new String(run.sent().get(i).body(), UTF_8));
                JsonNode upstream = Http.json(in.bodyText());
                assertThat(in.uri()).startsWith("/model/us.anthropic.").endsWith("/invoke-with-response-stream");
                assertThat(in.header("authorization")).startsWith("AWS4-HMAC-SHA256");
                assertThat(upstream.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
                List<String> betas = Arrays.stream(run.sent().get(i).header("anthropic-beta").split(",")).map(String::strip).toList();
                List<String> moved = new ArrayList<>();
                upstream.path("anthropic_beta").forEach(b -> moved.add(b.asText()));
                assertThat(moved).as("every beta, moved into the body").containsExactlyElementsOf(betas);
                ObjectNode expected = ((ObjectNode) cli.deepCopy());
                expected.remove(List.of("model", "stream", "tags"));
                ObjectNode actual = ((ObjectNode) upstream.deepCopy());
                actual.remove(List.of("anthropic_version", "anthropic_beta"));
                assertThat(actual).as("request %d: the conversation as the CLI sent it", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void theAgentLoopThroughVertex(@TempDir Path tmp) throws Exception {
        try (SluiceHarness h = SluiceHarness.start(VERTEX)) {
            Exchanged run = agentLoop(h, tmp);
            for (int i = 0; i < run.sent().size(); i++) {
                ReceivedRequest in = run.received().get(i);
                TcpTap.Request out = run.sent().get(i);
                assertThat(in.uri()).startsWith("/v1/projects/sluice-sim-project/locations/us-east5/publishers/anthropic/models/")
                        .endsWith(":streamRawPredict");
                assertThat(in.header("authorization")).isEqualTo("Bearer " + VertexSim.STATIC_TOKEN);
                assertThat(in.header("anthropic-beta")).as("betas stay a header on Vertex").isEqualTo(out.header("anthropic-beta"));
                assertThat(in.header("anthropic-version")).isEqualTo(out.header("anthropic-version"));
                ObjectNode expected = (ObjectNode) Http.json(new String(out.body(), UTF_8));
                expected.remove("model");
                ObjectNode actual = (ObjectNode) Http.json(in.bodyText());
                assertThat(actual.remove("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
                assertThat(actual).as("request %d: the conversation as the CLI sent it", i).isEqualTo(expected);
            }
        }
    }

    /** What the CLI sent (model calls only) and what the simulator received for them, in order. */
    private record Exchanged(List<TcpTap.Request> sent, List<ReceivedRequest> received) {
    }

    private static Exchanged agentLoop(SluiceHarness h, Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("hello.txt");
        Files.writeString(file, "periwinkle\n");
        ClaudeCli.Result result;
        List<TcpTap.Request> sent;
        try (TcpTap tap = TcpTap.start(h.gatewayPort())) {
            result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), Map.of(
                            "ANTHROPIC_BASE_URL", "http://127.0.0.1:" + tap.port(),
                            "ANTHROPIC_API_KEY", SluiceHarness.GATEWAY_KEY,
                            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                            "DISABLE_AUTOUPDATER", "1"), Duration.ofSeconds(120),
                    "-p", "Read the file " + file + " and tell me what it says", "--allowedTools", "Read");
            sent = tap.requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
        }
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).contains("periwinkle");
        List<ReceivedRequest> received = h.recorder().received().stream().filter(r -> !r.uri().equals("/token")).toList();
        assertThat(received).as("one upstream call per CLI call").hasSameSizeAs(sent).hasSizeGreaterThanOrEqualTo(2);
        assertThat(received.getLast().bodyText()).contains("\"tool_result\"").contains("periwinkle");
        assertThat(new String(sent.getLast().body(), UTF_8)).contains("\"cache_control\"");
        assertThat(received.getLast().bodyText()).contains("\"cache_control\"");
        assertThat(sent.getLast().header("anthropic-beta")).contains("claude-code-20250219");
        assertThat(h.recorder().billed()).extracting(BilledUsage::outcome).containsOnly(BilledUsage.Outcome.COMPLETED);
        return new Exchanged(sent, received);
    }
}
