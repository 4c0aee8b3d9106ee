package dev.sluice.cache.stage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.cache.agent.CaptureStudy;
import dev.sluice.cache.agent.ScriptedAgentUpstream;
import dev.sluice.cache.agent.StudyCli;
import dev.sluice.cache.agent.StudyWorkspace;
import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.ClaudeCli;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI through the real gateway: Alice, in her home and workspace, asks a question that
 * takes three turns of tool use; Bob, in another home at another path and in the same organization, asks the
 * same. Every one of Bob's turns is a gateway hit on Alice's entries with Bob's own paths in the replayed
 * tool calls, his agent loop runs them on his own checkout, and the upstream never hears from him. Carol, in
 * another organization, gets nothing of theirs. The ledger and the cache report show it.
 */
class ClaudeCodeThroughGatewayTest {
    private static final String ADMIN = "admin-cli-cache";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void bobsAgentLoopCompletesOnAlicesCachedAnswersThroughSluice(@TempDir Path root, @TempDir Path data) throws Exception {
        Path bin = ClaudeCli.require();
        Path origin = StudyWorkspace.originRepo(root.resolve("origin"));
        try (ScriptedAgentUpstream upstream = ScriptedAgentUpstream.start()) {
            String yaml = """
                    server: {port: 0, event-loops: 1}
                    admin: {keys: [{value: %s, role: write}]}
                    upstreams: [{name: scripted, base-url: "%s", keys: [{alias: k1, value: sk-upstream}]}]
                    store: {data-dir: "%s"}
                    cache: {}
                    """.formatted(ADMIN, upstream.baseUrl(), data);
            Gateway gateway = Gateway.start(new ConfigLoader(Map.of()).parse("cli.yaml", yaml)).await();
            try {
                String alice = key(gateway, "acme", "payments", "alice");
                String bob = key(gateway, "acme", "search", "bob");
                String carol = key(gateway, "globex", "core", "carol");

                String aliceWs = root.resolve(StudyWorkspace.ALICE.workspace()).toString();
                ClaudeCli.Result a = ask(bin, root, origin, StudyWorkspace.ALICE, gateway.baseUrl(), alice);
                assertThat(a.stdout()).contains(aliceWs + "/calc.py").contains("add(a, b)");
                assertThat(upstream.answered()).isEqualTo(3);
                awaitStored(gateway, 3);
                assertThat(gateway.cache().counts().storedShared()).as("workspace-relative, not pinned").isEqualTo(3);

                upstream.clear();
                String bobWs = root.resolve(StudyWorkspace.BOB.workspace()).toString();
                ClaudeCli.Result b;
                List<RecordingProxy.Exchange> bobs;
                try (RecordingProxy proxy = new RecordingProxy(gateway.port())) {
                    b = ask(bin, root, origin, StudyWorkspace.BOB, proxy.url(), bob);
                    bobs = proxy.seen();
                }
                assertThat(upstream.answered()).as("Bob cost nothing upstream").isZero();
                assertThat(gateway.cache().counts().hits()).isEqualTo(3);
                assertThat(b.stdout()).contains(bobWs + "/calc.py").contains(bobWs + "/README.md").doesNotContain("alice");
                assertThat(bobs).extracting(RecordingProxy.Exchange::cacheStatus).containsExactly("hit", "hit", "hit");
                assertThat(toolInput(bobs.get(0).response())).as("the replayed tool call names Bob's workspace")
                        .contains(bobWs).doesNotContain("/alice/");
                assertThat(toolInput(bobs.get(1).response())).isEqualTo("{\"file_path\":\"" + bobWs + "/calc.py\"}");
                assertThat(bobs.get(1).request()).as("Bob's CLI ran the replayed grep on his own checkout")
                        .contains(bobWs + "/calc.py:1:def add(a, b):").doesNotContain("/alice/");
                assertThat(bobs.get(2).request()).contains("\"file_path\":\"" + bobWs + "/calc.py\"").contains("return a + b");

                JsonNode report = awaitReport(gateway, "bob", 3);
                JsonNode bobRow = row(report, "bob");
                assertThat(bobRow.path("hits").asLong()).isEqualTo(3);
                assertThat(bobRow.path("misses").asLong()).isZero();
                assertThat(bobRow.path("gateway_cache_savings_usd").decimalValue().signum()).isPositive();
                assertThat(row(report, "alice").path("misses").asLong()).isEqualTo(3);

                ask(bin, root, origin, StudyWorkspace.CAROL, gateway.baseUrl(), carol);
                assertThat(upstream.answered()).as("another organization never sees acme's entries").isEqualTo(3);
                List<String> carolTurns = upstream.received().stream().map(ScriptedAgentUpstream.Received::bodyText).toList();
                assertThat(carolTurns).allSatisfy(t -> assertThat(t).doesNotContain("/bob/").doesNotContain("/alice/"));
                String carolTurn3 = new String(upstream.received().get(2).body(), UTF_8);
                assertThat(carolTurn3).contains("return a + b");
            } finally {
                gateway.stop().await();
            }
        }
    }

    private static ClaudeCli.Result ask(Path bin, Path root, Path origin, StudyWorkspace.Developer dev, String baseUrl, String key)
            throws Exception {
        Map<String, String> env = Map.of("ANTHROPIC_BASE_URL", baseUrl, "ANTHROPIC_API_KEY", key,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1");
        ClaudeCli.Result r = StudyCli.run(bin, dev.checkout(root, origin), dev.home(root), env, Duration.ofSeconds(180),
                "-p", CaptureStudy.QUESTION, "--allowedTools", "Read,Bash(grep:*)");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    /** The tool input a streamed answer carries: its {@code input_json_delta} pieces joined. */
    private static String toolInput(String sse) {
        StringBuilder input = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && line.contains("input_json_delta")) {
                input.append(CacheGateway.json(line.substring(6)).at("/delta/partial_json").asText());
            }
        }
        return input.toString();
    }

    private static void awaitStored(Gateway gateway, long n) throws InterruptedException {
        for (int i = 0; i < 400 && gateway.cache().counts().stored() < n; i++) {
            Thread.sleep(25);
        }
        assertThat(gateway.cache().counts().stored()).isEqualTo(n);
    }

    /** The ledger commits in the background: polls the report until {@code user} shows {@code hits}. */
    private JsonNode awaitReport(Gateway gateway, String user, long hits) throws Exception {
        JsonNode report = null;
        for (int i = 0; i < 200; i++) {
            report = admin(gateway, "GET", "/admin/cache/report?by=user&since=1h", null);
            for (JsonNode r : report.path("data")) {
                if (user.equals(r.path("group").path("user").asText(null)) && r.path("hits").asLong() >= hits) {
                    return report;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the report never showed " + hits + " hits for " + user + ": " + report);
    }

    private static JsonNode row(JsonNode report, String user) {
        for (JsonNode r : report.path("data")) {
            if (user.equals(r.path("group").path("user").asText(null))) {
                return r;
            }
        }
        throw new AssertionError("no row for " + user + " in " + report);
    }

    private final java.util.Set<String> orgs = new java.util.HashSet<>();

    private String key(Gateway g, String org, String team, String user) throws Exception {
        if (orgs.add(org)) {
            admin(g, "POST", "/admin/orgs", "{\"id\":\"" + org + "\"}");
        }
        admin(g, "POST", "/admin/teams", "{\"id\":\"" + team + "\",\"org_id\":\"" + org + "\"}");
        admin(g, "POST", "/admin/users", "{\"id\":\"" + user + "\",\"team_id\":\"" + team + "\"}");
        return admin(g, "POST", "/admin/keys", "{\"user_id\":\"" + user + "\"}").get("key").asText();
    }

    private JsonNode admin(Gateway g, String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + path))
                .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return CacheGateway.json(r.body());
    }
}
