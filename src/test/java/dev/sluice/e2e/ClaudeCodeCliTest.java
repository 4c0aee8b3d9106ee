package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TcpTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI, headless ({@code -p}), through the gateway to the simulator. A byte-level
 * tap between the CLI and the gateway records exactly what the CLI sent, to compare with what the
 * simulator received behind the gateway.
 */
class ClaudeCodeCliTest {
    /** Request headers the gateway consumes or its HTTP client rewrites; everything else must arrive as sent. */
    private static final Set<String> NOT_FORWARDED = Set.of("x-api-key", "authorization", "host", "content-length",
            "connection", "keep-alive", "transfer-encoding", "accept-encoding", "expect", "te", "upgrade");

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @Test
    void completesAReadToolLoopAndEverythingItSendsArrivesUnchanged(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("hello.txt");
        Files.writeString(file, "periwinkle\n");
        ClaudeCli.Result result;
        List<TcpTap.Request> sent;
        try (TcpTap tap = TcpTap.start(SLUICE.gatewayPort())) {
            result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")),
                    env(tap, SluiceHarness.GATEWAY_KEY), Duration.ofSeconds(120),
                    "-p", "Read the file " + file + " and tell me what it says", "--allowedTools", "Read");
            sent = tap.requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
        }

        // The agent loop ran: the model asked for Read, the CLI read the file, the model quoted it.
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).contains("periwinkle");
        List<ReceivedRequest> received = SLUICE.recorder().received();
        assertThat(received).as("the simulator saw the tool result").anySatisfy(r ->
                assertThat(r.bodyText()).contains("\"tool_result\"").contains("periwinkle"));
        assertThat(SLUICE.recorder().billed()).extracting(BilledUsage::outcome).contains(BilledUsage.Outcome.COMPLETED);

        // Everything the CLI sent arrived, in order, with the same path, body bytes and headers.
        assertThat(received).hasSameSizeAs(sent).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 0; i < sent.size(); i++) {
            TcpTap.Request out = sent.get(i);
            ReceivedRequest in = received.get(i);
            assertThat(in.uri()).isEqualTo(out.uri());
            assertThat(in.body()).as("body of request %d", i).isEqualTo(out.body());
            assertSameHeaders(out, in, i);
        }
        TcpTap.Request last = sent.getLast();
        assertThat(last.header("anthropic-beta")).contains("claude-code-20250219");
        assertThat(last.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(last.header("x-api-key")).isEqualTo(SluiceHarness.GATEWAY_KEY);
        assertThat(new String(last.body(), UTF_8)).contains("\"cache_control\"");
        assertThat(received).allSatisfy(r -> assertThat(r.upstreamKey()).isEqualTo(SluiceHarness.UPSTREAM_KEY));
    }

    @Test
    void aRejectedKeyStopsTheCliAtOnceInsteadOfRetrying(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        ClaudeCli.Result result;
        List<TcpTap.Request> sent;
        List<String> all;
        try (TcpTap tap = TcpTap.start(SLUICE.gatewayPort())) {
            result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")),
                    env(tap, "sk-sluice-revoked"), Duration.ofSeconds(60), "-p", "Say hello");
            sent = tap.requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
            all = tap.requests().stream().filter(r -> r.method().equals("POST")).map(TcpTap.Request::path).toList();
        }
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stdout() + result.stderr()).as(result.toString()).containsIgnoringCase("invalid api key");
        // Some runs of the CLI stop at a call it makes before the first message (its 401 is as final): never a retry
        assertThat(sent).as("no retries after x-should-retry: false; every call: " + all).hasSizeLessThanOrEqualTo(1);
        assertThat(all).as("each POST made once").doesNotHaveDuplicates();
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    private static Map<String, String> env(TcpTap tap, String key) {
        return Map.of(
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:" + tap.port(),
                "ANTHROPIC_API_KEY", key,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_AUTOUPDATER", "1");
    }

    /**
     * Every header the CLI sent arrives with the same values, and nothing else arrives but transport, credential and
     * the gateway's {@code accept-encoding: identity}.
     */
    private static void assertSameHeaders(TcpTap.Request out, ReceivedRequest in, int i) {
        Map<String, List<String>> expected = new HashMap<>();
        for (Map.Entry<String, String> h : out.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name)) {
                expected.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(h.getValue());
            }
        }
        Map<String, List<String>> actual = new HashMap<>();
        for (Map.Entry<String, String> h : in.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!Set.of("host", "content-length", "x-api-key", "accept-encoding").contains(name)) {
                actual.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(h.getValue());
            }
        }
        assertThat(actual).as("headers of request %d (sent %s)", i, Arrays.toString(out.headers().toArray())).isEqualTo(expected);
        assertThat(in.header("x-api-key")).isEqualTo(SluiceHarness.UPSTREAM_KEY);
        // The CLI accepts gzip, br, zstd; the gateway reads the answer, so it asks for it uncoded.
        assertThat(in.header("accept-encoding")).isEqualTo("identity");
        assertThat(in.header("content-length")).isEqualTo(Integer.toString(out.body().length));
    }
}
