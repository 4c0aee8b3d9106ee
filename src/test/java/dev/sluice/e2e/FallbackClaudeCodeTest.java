package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI runs its agent loop (a Read tool call and the answer that quotes the file)
 * through a gateway whose primary upstream answers 529 to every request: the gateway falls back to
 * the healthy secondary, and the developer never sees the overload. The primary is a simulator of its
 * own, overloaded by default, so nothing the CLI sends can steer it.
 */
class FallbackClaudeCodeTest {
    private static final Vertx PRIMARY_VERTX = Vertx.vertx();
    private static SimServer primary;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        primary = SimServer.start(PRIMARY_VERTX, SimOptions.defaults().withInstances(1).withDefaultFault("529")).await();
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: primary, base-url: "%s", keys: [{alias: p1, value: sk-ant-overloaded}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                routes:
                  - targets: [{upstream: primary}, {upstream: secondary}]
                """.formatted(primary.baseUrl()));
    }

    @AfterAll
    static void stop() {
        h.close();
        primary.close().await();
        PRIMARY_VERTX.close().await();
    }

    @Test
    void theAgentLoopCompletesWhileThePrimaryIsOverloaded(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("note.txt");
        Files.writeString(file, "marigold\n");
        ClaudeCli.Result result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), Map.of(
                        "ANTHROPIC_BASE_URL", h.gatewayUrl(),
                        "ANTHROPIC_API_KEY", SluiceHarness.GATEWAY_KEY,
                        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                        "DISABLE_AUTOUPDATER", "1"),
                Duration.ofSeconds(120), "-p", "Read the file " + file + " and tell me what it says", "--allowedTools", "Read");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).contains("marigold");
        assertThat(result.stdout() + result.stderr()).doesNotContainIgnoringCase("overloaded");
        // The primary refused what it got; the secondary ran the whole loop, tool result included.
        assertThat(primary.recorder().billed()).isNotEmpty()
                .allSatisfy(b -> assertThat(b.outcome()).isEqualTo(BilledUsage.Outcome.REJECTED));
        assertThat(h.recorder().received()).anySatisfy(r ->
                assertThat(r.bodyText()).contains("\"tool_result\"").contains("marigold"));
        assertThat(h.recorder().billed()).extracting(BilledUsage::outcome).contains(BilledUsage.Outcome.COMPLETED)
                .doesNotContain(BilledUsage.Outcome.REJECTED);
    }
}
