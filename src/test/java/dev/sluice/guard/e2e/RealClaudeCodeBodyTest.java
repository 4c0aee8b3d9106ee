package dev.sluice.guard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScan;
import dev.sluice.guard.GuardScanner;
import dev.sluice.guard.IncrementalGuard;
import dev.sluice.guard.Section;
import dev.sluice.guard.Source;
import dev.sluice.guard.incremental.MessageSpans;
import dev.sluice.guard.incremental.PrefixHashes;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner on what the real Claude Code CLI sends: its system prompt and tool definitions (which talk about
 * secrets, security and prompt injection) must raise nothing at the default policy; a credential in a file the
 * agent reads must be found, in the tool result, and the turn-by-turn scan must agree with full scans.
 */
class RealClaudeCodeBodyTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    private static String githubToken() {
        String body = "Zk3pQ8vLw2Xy7Tn4Rb9Mc1Hd6Js5Fg0Ae";
        body = body.substring(0, 30);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long v = crc.getValue();
        StringBuilder check = new StringBuilder();
        while (v > 0) {
            check.insert(0, alphabet.charAt((int) (v % 62)));
            v /= 62;
        }
        while (check.length() < 6) {
            check.insert(0, '0');
        }
        return "gh" + "p_" + body + check;
    }

    @Test
    void claudeCodesOwnPromptIsCleanAndAReadSecretIsFound(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        String token = githubToken();
        Path file = work.resolve("deploy.sh");
        Files.writeString(file, "#!/bin/sh\n# Deploy script: reads the password from the vault, never from here.\n"
                + "export GITHUB_TOKEN=" + token + "\nDB_PASSWORD=\"$(vault read -field=password secret/db)\"\n./release.sh\n");
        ClaudeCli.Result result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), Map.of(
                "ANTHROPIC_BASE_URL", SLUICE.gatewayUrl(), "ANTHROPIC_API_KEY", SluiceHarness.GATEWAY_KEY,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1"), Duration.ofSeconds(120),
                "-p", "Read the file " + file + " and summarize it", "--allowedTools", "Read");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<ReceivedRequest> received = SLUICE.recorder().received().stream().filter(r -> r.uri().startsWith("/v1/messages")
                && !r.uri().startsWith("/v1/messages/count_tokens")).toList();
        assertThat(received).hasSizeGreaterThanOrEqualTo(2);

        GuardScanner scanner = new GuardScanner();
        IncrementalGuard incremental = new IncrementalGuard(scanner, 10_000, Duration.ofHours(1));
        boolean sawTheToken = false;
        for (ReceivedRequest r : received) {
            byte[] body = r.body();
            GuardScan full = scanner.scan(body, body.length, GuardPolicy.defaults());
            for (Finding f : full.findings()) {
                assertThat(f.location().section()).as(f.describe()).isEqualTo(Section.MESSAGES);
                assertThat(f.location().source()).as(f.describe()).isEqualTo(Source.TOOL_RESULT);
                assertThat(f.rule()).as(f.describe()).isEqualTo("github-token");
                assertThat(new String(body, f.start(), f.end() - f.start(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(token);
                sawTheToken = true;
            }
            MessageSpans spans = MessageSpans.find(body, body.length);
            GuardScan inc = incremental.scan(body, body.length, spans, PrefixHashes.compute(body, spans), GuardPolicy.defaults());
            assertThat(inc.findings()).isEqualTo(full.findings());
        }
        assertThat(sawTheToken).as("the token in the tool result was found").isTrue();
    }
}
