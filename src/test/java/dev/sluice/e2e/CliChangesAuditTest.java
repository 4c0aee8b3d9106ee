package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.KeysCommand;
import dev.sluice.cli.OrgsCommand;
import dev.sluice.cli.TeamsCommand;
import dev.sluice.cli.UsersCommand;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.trace.AuditChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Identity changes made with the CLI, beside a running gateway, straight in its store: each reaches the gateway's
 * audit log as a chained {@code admin_change} line (who ran the command, the action, the id; never a secret), once,
 * also across a restart of the gateway.
 */
class CliChangesAuditTest {
    private static final Pattern SECRET = Pattern.compile("sk-sluice-[0-9A-Za-z]{43}");
    private static final Pattern KEY_ID = Pattern.compile("Created key (key_\\w+)");

    @TempDir
    Path dir;

    private String yaml() {
        return SluiceHarness.BASE_YAML + """
                store: {data-dir: "%s"}
                telemetry: {audit-log: "%s"}
                """.formatted(dir.resolve("data"), dir.resolve("audit.jsonl"));
    }

    private String cli(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine c = new CommandLine(command);
        c.setOut(new PrintWriter(out));
        c.setErr(new PrintWriter(err));
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data-dir", dir.resolve("data").toString())).toArray(String[]::new);
        assertThat(c.execute(all)).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void cliChangesBesideARunningGatewayBecomeChainedAuditLinesOnce() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        String secret;
        String rotated;
        String keyId;
        try (SluiceHarness h = SluiceHarness.start(yaml())) {
            cli(new OrgsCommand(), "create", "acme");
            cli(new TeamsCommand(), "create", "pay", "--org", "acme");
            cli(new UsersCommand(), "create", "ana", "--team", "pay");
            String created = cli(new KeysCommand(), "create", "--user", "ana", "--alias", "laptop");
            secret = find(SECRET, created);
            keyId = find(KEY_ID, created);
            rotated = find(SECRET, cli(new KeysCommand(), "rotate", keyId, "--grace", "1h"));

            List<JsonNode> changes = awaitChanges(audit, 5);
            assertThat(changes).extracting(c -> c.path("action").asText())
                    .containsExactly("org.create", "team.create", "user.create", "key.issue", "key.rotate");
            assertThat(changes).extracting(c -> c.path("object").asText())
                    .containsExactly("acme", "pay", "ana", "user ana", keyId);
            assertThat(changes).allSatisfy(c -> {
                assertThat(c.path("who").asText()).endsWith(" (cli)").contains("@");
                assertThat(c.path("detail").asText()).startsWith("made in the store at ");
            });
        }
        try (SluiceHarness again = SluiceHarness.start(yaml())) {
            cli(new KeysCommand(), "revoke", keyId);
            List<JsonNode> changes = awaitChanges(audit, 6);
            // The restart copied only what was new: no line twice.
            assertThat(changes).extracting(c -> c.path("action").asText()).containsExactly("org.create", "team.create",
                    "user.create", "key.issue", "key.rotate", "key.revoke");
        }
        String all = Files.readString(audit);
        assertThat(all).doesNotContain(secret).doesNotContain(rotated);
        assertThat(AuditChain.verify(audit, dir.resolve("data")).ok()).isTrue();
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.groupCount() > 0 ? m.group(m.groupCount()) : m.group();
    }

    private static List<JsonNode> awaitChanges(Path audit, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            List<JsonNode> changes = Files.exists(audit) ? Files.readAllLines(audit).stream().map(Http::json)
                    .filter(l -> l.path("kind").asText().equals("admin_change"))
                    .filter(l -> !l.path("action").asText().equals("config.apply")).toList() : List.of();
            if (changes.size() >= n || System.currentTimeMillis() > deadline) {
                Thread.sleep(300); // and nothing more arrives
                return Files.readAllLines(audit).stream().map(Http::json)
                        .filter(l -> l.path("kind").asText().equals("admin_change"))
                        .filter(l -> !l.path("action").asText().equals("config.apply")).toList();
            }
            Thread.sleep(50);
        }
    }
}
