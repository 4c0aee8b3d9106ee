package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.signin.policy.CanonicalJson;
import dev.sluice.signin.usage.UsageStanding;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI signs in with {@code /login} through the device flow, in a pseudo-terminal:
 * it trusts the gateway, shows the code and our login notice; the test approves the code through the
 * verification page and the IdP's login form over HTTP; the CLI confirms the account, applies the
 * managed settings (its env asks for approval), is refused the denied default model with our 400,
 * runs an agent loop (a Read tool call and its result) on its session token, sends its own OTLP
 * telemetry through the gateway's relay to a collector (with the developer set on it), shows its own usage
 * notice past 75% and our billing message at the line, and after the developer is disabled it is
 * sent back to sign in.
 *
 * <p>The standing behind the usage notice comes from a fake source set on the running gateway
 * ({@code Signin.standings}); the budgets engine replaces it.
 */
class ClaudeCodeSigninTest {
    static final String SETTINGS = "{\"env\": {\"CLAUDE_CODE_GATEWAY_HINT_HEADERS\": \"1\", \"SLUICE_MARKER\": \"from-gateway\","
            + " \"CLAUDE_CODE_ENABLE_TELEMETRY\": \"1\", \"OTEL_METRICS_EXPORTER\": \"otlp\", \"OTEL_LOGS_EXPORTER\": \"otlp\","
            + " \"OTEL_EXPORTER_OTLP_PROTOCOL\": \"http/json\", \"OTEL_METRIC_EXPORT_INTERVAL\": \"1000\","
            + " \"OTEL_LOGS_EXPORT_INTERVAL\": \"1000\"}}";
    static final Duration STEP = Duration.ofSeconds(40);

    @TempDir
    Path data;
    @TempDir
    Path home;
    @TempDir
    Path work;

    @Test
    void signsInRunsAnAgentLoopSeesItsUsageAndIsSentBackToSignInWhenRevoked() throws Exception {
        Path claude = ClaudeCli.require();
        Terminal.require();
        try (TestCollector collector = new TestCollector(); SigninHarness h = SigninHarness.start(data, """
                managed-settings:
                  - group: eng
                    settings: %s
                models:
                  deny: ["claude-opus-*"]
                telemetry: {collectors: ["%s"]}
                """.formatted(SETTINGS, collector.url()))) {
            Path notes = Files.writeString(work.resolve("notes.txt"), "marker-line-42\n");
            Files.createDirectories(home.resolve(".claude"));
            Files.writeString(home.resolve(".claude/settings.json"),
                    "{\"forceLoginMethod\":\"gateway\",\"forceLoginGatewayUrl\":\"" + h.url() + "\"}");
            String cmd = "cd " + work + " && env -i PATH=/usr/bin:/bin HOME=" + home + " LANG=C.UTF-8 TERM=xterm-256color"
                    + " CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 " + claude + "; sleep 600";
            try (Terminal t = Terminal.start(cmd)) {
                signIn(t, h);
                assertThat(t.await("Managed settings require approval", STEP)).contains("SLUICE_MARKER");
                t.answer("Managed settings require approval", "Enter");
                t.await("Cloud gateway", STEP);

                t.type("read " + notes);
                t.await("not allowed for your account on this gateway", STEP);
                t.type("/model sonnet");
                t.await("Set model to Sonnet", STEP);
                t.type("read " + notes);
                t.await("It says: marker-line-42", STEP);
                managedSettingsReachedTheClient(h);
                telemetryReachedTheCollector(collector);

                Instant reset = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
                h.gateway().signin().standings(who -> UsageStanding.of(8_200_000_000L, 10_000_000_000L,
                        UsageStanding.Period.MONTHLY, reset, UsageStanding.Scope.USER));
                t.type("read " + notes + " once more");
                t.await(s -> s.contains("82%"), "the CLI's usage notice at 82%", STEP);
                h.gateway().signin().standings(who -> UsageStanding.of(10_000_000_000L, 10_000_000_000L,
                        UsageStanding.Period.MONTHLY, reset, UsageStanding.Scope.USER));
                t.type("and again");
                t.await("spend limit reached", STEP);

                h.gateway().signin().standings(null);
                h.admin("PATCH", "/admin/users/dev@corp.example", "{\"disabled\":true}");
                Thread.sleep(2_500); // the blocklist is re-read every 2 s
                t.type("after revocation");
                t.await(s -> after(s, "after revocation").matches("(?s).*(/login|[Ss]ign in again|Not logged in).*"),
                        "a request to sign in again", STEP);
            }
        }
    }

    private static void signIn(Terminal t, SigninHarness h) throws Exception {
        t.answer("Choose the text style", "Enter");
        t.answer("Enter to connect", "Enter");
        t.answer("Trust gateway", "Up", "Enter");
        String screen = t.await("Code:", STEP);
        assertThat(screen).contains("Sign in with your Acme account.").contains(h.url() + "/device");
        Matcher m = Pattern.compile("Code:\\s+([A-Z]{4}-[A-Z]{4})").matcher(screen);
        assertThat(m.find()).as(screen).isTrue();
        String code = m.group(1);
        var page = new Browser().approve(h.url() + "/device?user_code=" + code, code, "dev1",
                "{\"email\":\"dev@corp.example\",\"email_verified\":true,\"groups\":[\"eng\"]}");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        t.answer("Signed in to Cloud gateway as dev@corp.example", "Up", "Enter");
        t.answer("Connected to Cloud gateway", "Enter");
        t.answer("Security notes", "Enter");
        t.answer("Yes, I trust this folder", "Down", "Enter");
    }

    /** The CLI applied the env block (it sends the hint header) and computed the same checksum we serve. */
    private static void managedSettingsReachedTheClient(SigninHarness h) throws Exception {
        JsonNode settings = Http.JSON.readTree(SETTINGS);
        String ours = CanonicalJson.checksum(settings);
        var received = h.sim().recorder().received();
        String seen = received.stream().map(r -> r.uri() + " " + r.headers().stream().map(java.util.Map.Entry::getKey).toList())
                .collect(java.util.stream.Collectors.joining("\n"));
        ReceivedRequest last = received.getLast();
        assertThat(last.header("x-claude-code-managed-settings-checksum")).as(seen).isEqualTo(ours);
        assertThat(last.header("authorization")).as("the session token never goes upstream").isNull();
        assertThat(last.header("x-api-key")).isEqualTo("sk-sim-1");
    }

    /** The CLI's own OTLP exports went through the gateway's relay to the collector, with the developer on them. */
    private static void telemetryReachedTheCollector(TestCollector collector) {
        TestCollector.Export e = OAuth.eventually(Duration.ofSeconds(30), () -> collector.exports().isEmpty() ? null
                : collector.exports().getFirst());
        assertThat(e.resources()).as(e.path() + " " + e.contentType()).isNotEmpty()
                .allSatisfy(r -> assertThat(r).containsEntry("user.id", "dev@corp.example").containsEntry("sluice.team", "platform"));
    }

    private static String after(String screen, String marker) {
        int at = screen.lastIndexOf(marker);
        return at < 0 ? "" : screen.substring(at);
    }
}
