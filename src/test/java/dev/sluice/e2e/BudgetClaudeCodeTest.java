package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TcpTap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a developer sees at the line in the real Claude Code CLI (2.1.330, API-key auth, headless {@code -p}):
 * the billing message at a block, without retries; a degraded answer that still completes the agent loop with a tool
 * call; and, before the line, the warning an API-key user can see (a response header) and the budget owner's webhook
 * alert with its forecast. The CLI itself shows no usage notice under API-key auth (it labels the session "API Usage
 * Billing"); signed-in developers get the unified headers through sign-in.
 */
class BudgetClaudeCodeTest {
    private static final String OPUS = "claude-opus-4-20250514";
    private static final String HAIKU = "claude-haiku-4-5-20251001";
    /** Claude Code 2.1.332 sends this for {@code --model} Opus 4 too (it moves older Opus ids to its current Opus). */
    private static final String CLI_OPUS = "claude-opus-5-5";
    private static final String SONNET = "claude-sonnet-4-6";

    @Test
    void atTheLineTheCliPrintsTheBillingMessageAndDoesNotRetry(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + store(tmp) + """
                budgets:
                  contact: "#dev-platform"
                  list: [{name: dev, level: key, id: "*", usd: 0.001, period: monthly}]
                """)) {
            HttpResponse<String> first = direct(h, SluiceHarness.MODEL, 200);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200); // spends past the $0.001 line
            ClaudeCli.Result result;
            List<TcpTap.Request> sent;
            try (TcpTap tap = TcpTap.start(h.gatewayPort())) {
                result = cli(bin, tmp, tap, "-p", "Say hello");
                sent = tap.requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
            }
            System.out.println("CLI at the line: " + result);
            assertThat(result.exitCode()).as(result.toString()).isNotZero();
            assertThat(result.stdout() + result.stderr()).as(result.toString())
                    .contains("spend limit reached for this key (monthly $0.001)").contains("ask #dev-platform for an increase");
            assertThat(sent).as("x-should-retry: false, so one try").hasSize(1);
        }
    }

    @Test
    void aDegradedAnswerCompletesTheReadToolLoop(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + store(tmp) + """
                budgets:
                  degrade: [%s, %s, %s]
                  list:
                    - name: dev
                      level: key
                      id: "*"
                      usd: 20
                      thresholds: [{at: 1, action: degrade}, {at: 2, action: degrade}, {at: 100, action: block}]
                """.formatted(CLI_OPUS, SONNET, HAIKU))) {
            assertThat(direct(h, CLI_OPUS, 32_000).headers().firstValue("x-sluice-degraded-from")).isEmpty(); // $0.64: past 2%
            HttpResponse<String> check = direct(h, CLI_OPUS, 10);
            assertThat(check.headers().firstValue("x-sluice-degraded-from")).hasValue(CLI_OPUS);
            assertThat(Http.json(check.body()).path("model").asText()).isEqualTo(HAIKU); // two steps: nothing rules Haiku out
            h.recorder().clear();

            Path work = Files.createDirectories(tmp.resolve("work"));
            Path file = work.resolve("hello.txt");
            Files.writeString(file, "periwinkle\n");
            ClaudeCli.Result result;
            try (TcpTap tap = TcpTap.start(h.gatewayPort())) {
                result = cli(bin, tmp, tap, "-p", "Read the file " + file + " and tell me what it says", "--allowedTools", "Read",
                        "--model", CLI_OPUS);
            }
            System.out.println("CLI degraded: " + result);
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.stdout()).contains("periwinkle");
            List<ReceivedRequest> received = h.recorder().received().stream()
                    .filter(r -> r.uri().startsWith("/v1/messages") && !r.uri().contains("count_tokens")).toList();
            // The CLI's Opus turns ask adaptive thinking, an effort and max_tokens 128,000: Haiku 4.5 refuses the first two,
            // so they go one step down, to Sonnet 4.6, with max_tokens lowered to its 64,000
            assertThat(received).as("the tool result went back to the degraded model").anySatisfy(r ->
                    assertThat(r.bodyText()).contains("\"tool_result\"").contains("periwinkle").contains("\"model\":\"" + SONNET + "\""));
            assertThat(received).allSatisfy(r -> assertThat(Http.json(r.bodyText()).path("max_tokens").asLong()).isLessThanOrEqualTo(64_000));
            assertThat(received).noneSatisfy(r -> assertThat(r.bodyText()).contains("\"model\":\"" + CLI_OPUS + "\""));
        }
    }

    @Test
    void beforeTheLineAnApiKeyUserGetsAWarningHeaderAndTheOwnerAWebhook(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        List<JsonNode> alerts = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            alerts.add(Http.json(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + store(tmp) + """
                budgets:
                  alerts: {sinks: [{name: owner, kind: webhook, url: "http://127.0.0.1:%d/hook"}]}
                  list:
                    - {name: dev, level: key, id: "*", usd: 1.0, owner: {contact: "#dev-platform", sinks: [owner]}}
                """.formatted(hook.getAddress().getPort()))) {
            // 10,500 output tokens of Opus 4 ($75/M) = $0.79: past the 75% alert, short of the line.
            assertThat(direct(h, OPUS, 10_500).statusCode()).isEqualTo(200);
            HttpResponse<String> warned = direct(h, SluiceHarness.MODEL, 10);
            System.out.println("API-key user's warning: " + warned.headers().firstValue("x-sluice-budget-warning").orElse("(none)"));
            assertThat(warned.headers().firstValue("x-sluice-budget-warning").orElseThrow())
                    .startsWith("79% of key ").contains("monthly $1.00 used; requests are refused at 100%");
            assertThat(warned.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("allowed_warning");

            Path work = Files.createDirectories(tmp.resolve("work"));
            ClaudeCli.Result result;
            try (TcpTap tap = TcpTap.start(h.gatewayPort())) {
                result = cli(bin, tmp, tap, "-p", "Say hello", "--model", HAIKU);
            }
            System.out.println("CLI before the line (API-key auth): " + result);
            assertThat(result.exitCode()).as(result.toString()).isZero();

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (alerts.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(alerts).hasSize(1);
            JsonNode a = alerts.getFirst();
            System.out.println("owner's webhook: " + a);
            assertThat(a.path("type").asText()).isEqualTo("sluice.budget.threshold");
            assertThat(a.path("threshold_percent").asInt()).isEqualTo(75);
            assertThat(a.path("contact").asText()).isEqualTo("#dev-platform");
            assertThat(a.path("projected_period_end").path("expected").asDouble()).isGreaterThanOrEqualTo(a.path("spent").asDouble());
            assertThat(a.path("next").path("policy").asText()).isEqualTo("alert");
        } finally {
            hook.stop(0);
        }
    }

    /** A data directory of the test's own: a shared one would rebuild the counters from other runs' ledgers. */
    private static String store(Path tmp) {
        return "store: {data-dir: \"" + tmp.resolve("data") + "\"}\n";
    }

    private static HttpResponse<String> direct(SluiceHarness h, String model, int outputTokens) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + "/v1/messages")).header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01").header("x-sim-output-tokens", Integer.toString(outputTokens))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static ClaudeCli.Result cli(Path bin, Path tmp, TcpTap tap, String... args) throws IOException, InterruptedException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        return ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), Map.of(
                "ANTHROPIC_BASE_URL", "http://127.0.0.1:" + tap.port(),
                "ANTHROPIC_API_KEY", SluiceHarness.GATEWAY_KEY,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_AUTOUPDATER", "1"), Duration.ofSeconds(120), args);
    }
}
