package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.FakeSecrets;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a developer running the real Claude Code CLI sees when the agent reads a file with a credential in it: with
 * {@code block}, the CLI prints the gateway's message (the rule and where, not the token) and does not retry; with
 * {@code redact}, the agent loop completes and the upstream never sees the token.
 */
class GuardClaudeCodeTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
            guard:
              enabled: true
              redaction-key: "cli-test-redaction-key-0123456789"
              policies:
                - match: {model: "*haiku*"}
                  actions: {secret: redact}
            """);

    private static final String TOKEN = new FakeSecrets(33).githubToken("gh" + "p_");

    private static ClaudeCli.Result run(Path tmp, String model) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("deploy.sh");
        Files.writeString(file, "#!/bin/sh\n# release script\nexport GITHUB_TOKEN=" + TOKEN + "\n./release.sh\n");
        return ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), Map.of(
                "ANTHROPIC_BASE_URL", SLUICE.gatewayUrl(), "ANTHROPIC_API_KEY", SluiceHarness.GATEWAY_KEY,
                "ANTHROPIC_MODEL", model, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1"),
                Duration.ofSeconds(120), "-p", "Read the file " + file + " and summarize it", "--allowedTools", "Read");
    }

    private static List<ReceivedRequest> messages() {
        return SLUICE.recorder().received().stream().filter(r -> r.uri().startsWith("/v1/messages")
                && !r.uri().startsWith("/v1/messages/count_tokens")).toList();
    }

    @Test
    void blockedTheDeveloperSeesTheRuleAndWhereAndTheCliDoesNotRetry(@TempDir Path tmp) throws Exception {
        ClaudeCli.Result r = run(tmp, SluiceHarness.MODEL);
        // Claude Code 2.1.330 prints the message of a 400 policy_blocked as it is: "API Error: 400 <message>".
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stdout()).contains("API Error: 400 Blocked by the gateway's content policy")
                .contains("(rule github-token, critical) at messages[2].content[0] (tool_result), line 3").contains("Audit id req_");
        assertThat(r.stdout() + r.stderr()).doesNotContain(TOKEN);
        // The first turn went through; the turn carrying the file's content was refused once, not retried.
        List<ReceivedRequest> sent = messages();
        assertThat(sent).hasSize(1);
        assertThat(new String(sent.getFirst().body(), StandardCharsets.UTF_8)).doesNotContain(TOKEN);
    }

    @Test
    void redactedTheAgentLoopCompletesAndTheUpstreamNeverSeesTheToken(@TempDir Path tmp) throws Exception {
        ClaudeCli.Result r = run(tmp, "claude-haiku-4-5-20251001");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<ReceivedRequest> sent = messages();
        assertThat(sent).hasSizeGreaterThanOrEqualTo(2);
        boolean sawPlaceholder = false;
        for (ReceivedRequest q : sent) {
            String body = new String(q.body(), StandardCharsets.UTF_8);
            assertThat(body).doesNotContain(TOKEN);
            sawPlaceholder |= body.matches("(?s).*GITHUB_TOKEN=\\[REDACTED:github-token:[0-9a-f]{6}].*");
        }
        assertThat(sawPlaceholder).as("the tool result reached the model with a placeholder").isTrue();
    }
}
