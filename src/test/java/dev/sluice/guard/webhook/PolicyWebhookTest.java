package dev.sluice.guard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import dev.sluice.guard.Location;
import dev.sluice.guard.Section;
import dev.sluice.guard.Severity;
import dev.sluice.guard.Source;
import dev.sluice.guard.webhook.WebhookSettings.FailMode;
import dev.sluice.testing.StubServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The policy webhook against a real local HTTP server: verdicts, timeouts, broken answers, both fail modes. */
class PolicyWebhookTest {
    private static Vertx vertx;
    private static StubServer server;
    private static int port;
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final List<String> AUTH = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = StubServer.start((req, body) -> {
            RECEIVED.add(body.toString());
            AUTH.add(String.valueOf(req.getHeader("authorization")));
            var resp = req.response().putHeader("content-type", "application/json");
            switch (req.path()) {
                case "/allow" -> resp.end("{\"block\":false}");
                case "/block" -> resp.end("{\"block\":true,\"reason\":\"no prod keys in prompts\\u0007\",\"rule_id\":\"corp-7\",\"extra\":[1,2]}");
                case "/slow" -> vertx.setTimer(3000, id -> resp.end("{\"block\":false}"));
                case "/error" -> resp.setStatusCode(503).end("{\"block\":false}");
                case "/garbage" -> resp.end("<html>oops</html>");
                case "/wrong-type" -> resp.end("{\"block\":\"yes\"}");
                case "/huge" -> resp.end("{\"block\":false,\"reason\":\"" + "x".repeat(200_000) + "\"}");
                default -> resp.setStatusCode(404).end();
            }
        });
        vertx = server.vertx(); // the stub's Vert.x also runs the client under test
        port = server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static WebhookVerdict ask(String path, FailMode mode, long timeoutMs) throws Exception {
        WebhookSettings s = new WebhookSettings(java.net.URI.create("http://127.0.0.1:" + port + path), Duration.ofMillis(timeoutMs), mode,
                "whk-token-123", 64 * 1024);
        try (PolicyWebhook hook = new PolicyWebhook(vertx, s)) {
            return hook.check(summary()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static RequestSummary summary() {
        Location at = new Location(Section.MESSAGES, 3, 1, -1, "tool_result", "content", Source.TOOL_RESULT, 12);
        return new RequestSummary("req_01", "acme", "platform", "u-7", "key-9", "claude-sonnet-4-6", 4, 12_345,
                List.of(new Finding("aws-secret-access-key", Category.SECRET, Severity.CRITICAL, 100, 140, at, 1.0)));
    }

    @Test
    void theVerdictIsReadAndTheSummaryCarriesNoContent() throws Exception {
        RECEIVED.clear();
        WebhookVerdict allow = ask("/allow", FailMode.CLOSED, 2000);
        assertThat(allow).isEqualTo(new WebhookVerdict(false, "", "", WebhookVerdict.Outcome.ANSWERED));
        WebhookVerdict block = ask("/block", FailMode.OPEN, 2000);
        assertThat(block.block()).isTrue();
        assertThat(block.reason()).isEqualTo("no prod keys in prompts");
        assertThat(block.ruleId()).isEqualTo("corp-7");
        assertThat(RECEIVED.getFirst()).contains("\"request_id\":\"req_01\"", "\"rule\":\"aws-secret-access-key\"",
                "\"location\":\"messages[3].content[1] (tool_result), line 12\"", "\"severity\":\"critical\"").doesNotContain("\"start\"");
        assertThat(AUTH).contains("Bearer whk-token-123");
    }

    @Test
    void aSlowWebhookTimesOutAndTheFailModeDecides() throws Exception {
        long t0 = System.nanoTime();
        WebhookVerdict open = ask("/slow", FailMode.OPEN, 200);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(open.outcome()).isEqualTo(WebhookVerdict.Outcome.TIMEOUT);
        assertThat(open.block()).isFalse();
        assertThat(ms).isLessThan(2500);
        WebhookVerdict closed = ask("/slow", FailMode.CLOSED, 200);
        assertThat(closed.block()).isTrue();
        assertThat(closed.reason()).contains("did not answer within 200 ms", "failing closed");
    }

    @Test
    void brokenAnswersAreFailures() throws Exception {
        for (String path : List.of("/error", "/garbage", "/wrong-type", "/huge")) {
            WebhookVerdict v = ask(path, FailMode.CLOSED, 2000);
            assertThat(v.outcome()).as(path).isEqualTo(WebhookVerdict.Outcome.FAILED);
            assertThat(v.block()).as(path).isTrue();
        }
        assertThat(ask("/error", FailMode.CLOSED, 2000).reason()).contains("HTTP 503");
        assertThat(ask("/huge", FailMode.OPEN, 2000).block()).isFalse();
    }

    @Test
    void anUnreachableWebhookIsAFailureToo() throws Exception {
        WebhookSettings s = WebhookSettings.of("http://127.0.0.1:1/check", Duration.ofMillis(1000), FailMode.CLOSED);
        try (PolicyWebhook hook = new PolicyWebhook(vertx, s)) {
            WebhookVerdict v = hook.check(summary()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(v.outcome()).isIn(WebhookVerdict.Outcome.FAILED, WebhookVerdict.Outcome.TIMEOUT);
            assertThat(v.block()).isTrue();
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> WebhookSettings.of("ftp://x/y", Duration.ofSeconds(1), FailMode.OPEN)).hasMessageContaining("http or https");
        assertThatThrownBy(() -> WebhookSettings.of("http://x/y", Duration.ZERO, FailMode.OPEN)).hasMessageContaining("timeout");
        assertThat(new WebhookSettings(java.net.URI.create("http://x/"), Duration.ofSeconds(1), FailMode.OPEN, "secret-token", 1024).toString())
                .doesNotContain("secret-token");
    }
}
