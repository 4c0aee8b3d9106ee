package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.CaptureCalls;
import dev.sluice.cache.Captures;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.SimOptions;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream normalisation through a real gateway over {@code sluice sim --script agent} (the deterministic coding
 * agent, with the simulator's prompt-cache emulation): real Claude Code 2.1.330 first turns from two developers with
 * their own homes, checkouts, git users and billing-header suffixes. With the route's {@code normalise-upstream} on,
 * the second developer's first call reads the first one's prompt from the provider's cache, and each gets the agent's
 * answer with their own paths; with it off (another model's route), the second developer writes their own prompt.
 */
class NormaliseThroughGatewayTest {
    private static final String ON = "claude-opus-5-5";
    private static final String OFF = "claude-opus-4-1";
    private static SluiceHarness gw;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        gw = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                cache:
                  routes:
                    - {match: "%s", normalise-upstream: true}
                """.formatted(ON), SimOptions.defaults().withInstances(1).withScript("agent"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A developer's real first request, asking the agent to explain calc.py, with their billing-header suffix. */
    private static String firstTurn(String who, String model, String billingSuffix) {
        return new String(Captures.body(who + "-turn1"), UTF_8)
                .replace("What does the add function in this repository do? Look at the code before answering.", "Explain calc.py.")
                .replace("cc_version=2.1.330.771;", "cc_version=2.1.330." + billingSuffix + ";")
                .replace("\"model\":\"claude-opus-5-5\"", "\"model\":\"" + model + "\"");
    }

    @Test
    void twoDevelopersShareTheProvidersPromptCacheAndEachGetsTheirOwnPaths() throws Exception {
        // Off: carol (alice's capture) and dave (bob's) each write their own prompt.
        Answer carol = send(firstTurn("alice", OFF, "246"), true, false);
        Answer dave = send(firstTurn("bob", OFF, "e18"), true, true);
        assertThat(carol.normalised()).isNull();
        assertThat(dave.cacheRead()).as("without normalisation the homes and billing headers split the prompt").isZero();
        assertThat(dave.cacheWrite()).isGreaterThan(10_000); // measured: carol wrote 12,207 tokens, dave 12,209
        assertThat(dave.filePath()).isEqualTo("/home/bob/work/projects/calc/calc.py");

        // On: alice writes the team's prompt; bob, from another home and another first prompt, reads it.
        gw.recorder().clear();
        Answer alice = send(firstTurn("alice", ON, "246"), true, false);
        Answer bob = send(firstTurn("bob", ON, "e18"), true, true);
        assertThat(alice.normalised()).isEqualTo("normalised");
        assertThat(bob.normalised()).isEqualTo("normalised");
        assertThat(alice.filePath()).isEqualTo("/home/alice/src/calc/calc.py");
        assertThat(bob.filePath()).isEqualTo("/home/bob/work/projects/calc/calc.py");
        assertThat(bob.raw()).doesNotContain("/workspace/calc").doesNotContain("alice");
        assertThat(bob.cacheRead()).as("bob's first call reads alice's prompt").isGreaterThan(dave.cacheWrite() * 9 / 10);
        assertThat(bob.cacheWrite()).isLessThan(bob.cacheRead() / 20); // measured: read 12,205, wrote 0

        List<ReceivedRequest> seen = gw.recorder().received();
        assertThat(seen).hasSize(2);
        String aliceSent = new String(seen.get(0).body(), UTF_8);
        String bobSent = new String(seen.get(1).body(), UTF_8);
        assertThat(aliceSent).contains("Primary working directory: /workspace/calc\\n", "cc_version=2.1.330.000;",
                "Git user: Team Developer").doesNotContain("/home/alice");
        assertThat(prompt(aliceSent)).isEqualTo(prompt(bobSent));

        // A whole (non-stream) answer is mapped back too; usage still comes from the upstream.
        Answer whole = send(firstTurn("bob", ON, "e18").replace("\"stream\":true", "\"stream\":false"), false, true);
        assertThat(whole.filePath()).isEqualTo("/home/bob/work/projects/calc/calc.py");
        assertThat(whole.cacheRead()).isGreaterThan(0);
        List<BilledUsage> billed = gw.recorder().billed();
        assertThat(billed.getLast().cacheReadInputTokens()).isEqualTo(whole.cacheRead());
    }

    /** The prompt the provider caches on: everything but metadata. */
    private static JsonNode prompt(String body) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(body);
        tree.remove("metadata");
        return tree;
    }

    /** What a developer got: the Read tool's path, usage from the provider, the normalisation header, the raw answer. */
    private record Answer(String filePath, int cacheRead, int cacheWrite, String normalised, String raw) {
    }

    private Answer send(String body, boolean stream, boolean refresh) throws Exception {
        HttpRequest.Builder b = CaptureCalls.request(gw, body);
        if (refresh) {
            b.header("x-sluice-cache-refresh", "true"); // past the gateway's own cache, so the provider is asked
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String normalised = r.headers().firstValue(Normalisation.HEADER).orElse(null);
        if (!stream) {
            JsonNode m = Json.MAPPER.readTree(r.body());
            return new Answer(m.get("content").get(m.get("content").size() - 1).path("input").path("file_path").asText(),
                    m.path("usage").path("cache_read_input_tokens").asInt(), m.path("usage").path("cache_creation_input_tokens").asInt(),
                    normalised, r.body());
        }
        StringBuilder input = new StringBuilder();
        int read = 0;
        int write = 0;
        for (JsonNode data : CaptureCalls.events(r.body())) {
            if (data.path("type").asText().equals("message_start")) {
                read = data.path("message").path("usage").path("cache_read_input_tokens").asInt();
                write = data.path("message").path("usage").path("cache_creation_input_tokens").asInt();
            } else if (data.path("delta").path("type").asText().equals("input_json_delta")) {
                input.append(data.path("delta").path("partial_json").asText());
            }
        }
        String path = input.isEmpty() ? null : Json.MAPPER.readTree(input.toString()).path("file_path").asText();
        return new Answer(path, read, write, normalised, r.body());
    }
}
