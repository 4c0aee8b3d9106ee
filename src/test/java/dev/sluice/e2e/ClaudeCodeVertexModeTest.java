package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.Http;
import dev.sluice.testing.RecordingRelay;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI in its Vertex mode ({@code CLAUDE_CODE_USE_VERTEX=1}, pointed at the gateway's Vertex door
 * as Claude Code's LLM-gateway docs say, the gateway key in {@code ANTHROPIC_CUSTOM_HEADERS}) through the gateway to
 * the simulated Anthropic upstream. A relay between the CLI and the gateway keeps each call's answer head, so every
 * model call's ledger record can be looked up by its request id and held to the simulator's bill.
 */
class ClaudeCodeVertexModeTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    /** One call the CLI made through the relay. */
    private record Call(String uri, int status, String requestId, String costHeader, String modelHeader, String answer) {
    }

    @Test
    void aStreamedTurnIsServedAndPriced(@TempDir Path tmp) throws Exception {
        Run run = claude(tmp, "-p", "Say hello in five words");
        assertThat(run.result().exitCode()).as(run.toString()).isZero();
        assertThat(run.result().stdout()).as(run.toString()).isNotBlank();
        List<Call> turns = run.modelCalls();
        assertThat(turns).as(run.toString()).isNotEmpty();
        assertThat(turns.getLast().uri()).endsWith("/models/claude-opus-5-5:streamRawPredict");
        assertLedgerAgrees(turns);
    }

    @Test
    void aToolUsingTurnCompletesItsReadLoop(@TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("hello.txt");
        Files.writeString(file, "periwinkle\n");
        Run run = claude(tmp, "-p", "Read the file " + file + " and tell me what it says", "--allowedTools", "Read");
        assertThat(run.result().exitCode()).as(run.toString()).isZero();
        assertThat(run.result().stdout()).as(run.toString()).contains("periwinkle");
        List<ReceivedRequest> received = SLUICE.recorder().received();
        assertThat(received).as("the tool result reached the upstream").anySatisfy(r ->
                assertThat(r.bodyText()).contains("\"tool_result\"").contains("periwinkle"));
        assertThat(received).allSatisfy(r -> {
            assertThat(r.uri()).startsWith("/v1/messages");
            assertThat(r.header("anthropic-beta")).as("Vertex's beta header goes on").contains("claude-code-20250219");
            assertThat(Http.json(r.bodyText()).has("anthropic_version")).isFalse();
        });
        List<Call> turns = run.modelCalls();
        assertThat(turns.stream().filter(c -> c.status() == 200)).as(run.toString()).hasSizeGreaterThanOrEqualTo(2);
        assertLedgerAgrees(turns);
    }

    @Test
    void aWrongKeyIsRefusedAtTheDoorAndNothingGoesUpstream(@TempDir Path tmp) throws Exception {
        Run run = claudeWithKey(tmp, "sk-sluice-not-a-key", "-p", "Say hello");
        assertThat(run.result().exitCode()).as(run.toString()).isNotZero();
        // Claude Code renders any 401 in Vertex mode as "Not logged in"; the door's own words are in the body.
        assertThat(run.modelCalls()).as(run.toString()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(401);
            assertThat(c.answer()).contains("invalid x-api-key: not a key of this gateway");
        });
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    /**
     * Each model call has its ledger record, priced at the served model's price; an answer sent whole says its cost in
     * {@code x-sluice-cost-usd} (a stream's head leaves before its cost is known: the ledger has it). The only refusal
     * allowed is the upstream's 400 for role "system" among the messages, which Claude Code 2.1.332 sends in Vertex
     * mode without the beta that allows it and then sends again without it (the simulator refuses it as the API does).
     */
    private static void assertLedgerAgrees(List<Call> turns) {
        assertThat(turns.getLast().status()).as("the last call answered: %s", turns.getLast()).isEqualTo(200);
        for (Call c : turns) {
            JsonNode attempt = Http.record(SLUICE.gatewayUrl(), c.requestId()).path("attempts").get(0);
            assertThat(attempt.path("status").asInt()).isEqualTo(c.status());
            BigDecimal cost = new BigDecimal(attempt.path("cost_usd").asText());
            if (c.status() != 200) {
                assertThat(c.answer()).as("a refusal the CLI recovers from").contains("Unexpected role \\\"system\\\"");
                assertThat(cost).isZero();
            } else {
                assertThat(cost).isEqualByComparingTo(price(attempt)).isPositive();
                assertThat(c.modelHeader()).as("the gateway's headers on the answer").isEqualTo(attempt.path("served_model").asText());
            }
            if (c.costHeader() != null) {
                assertThat(new BigDecimal(c.costHeader())).isEqualByComparingTo(cost);
            }
        }
        assertThat(SLUICE.recorder().billed()).extracting(BilledUsage::outcome).contains(BilledUsage.Outcome.COMPLETED)
                .containsOnly(BilledUsage.Outcome.COMPLETED, BilledUsage.Outcome.REJECTED);
    }

    /** The record's cost from its usage at the price table's price for its model, per million tokens. */
    private static BigDecimal price(JsonNode attempt) {
        String model = attempt.path("served_model").asText();
        long[] p = switch (model) { // input, output, 5-minute write, 1-hour write, read; in cents per million
            case "claude-opus-5-5" -> new long[] {400, 2000, 500, 800, 20};
            case "claude-sonnet-4-5-20250929" -> new long[] {300, 1500, 375, 600, 30};
            case "claude-haiku-4-5-20251001" -> new long[] {100, 500, 125, 200, 10};
            default -> throw new AssertionError("unexpected model " + model + " in " + attempt);
        };
        JsonNode u = attempt.path("usage");
        long cents = u.path("input_tokens").asLong() * p[0] + u.path("output_tokens").asLong() * p[1]
                + u.at("/cache_creation/ephemeral_5m_input_tokens").asLong() * p[2]
                + u.at("/cache_creation/ephemeral_1h_input_tokens").asLong() * p[3]
                + u.path("cache_read_input_tokens").asLong() * p[4];
        return BigDecimal.valueOf(cents, 8);
    }

    private record Run(ClaudeCli.Result result, List<Call> calls) {
        List<Call> modelCalls() {
            return calls.stream().filter(c -> c.uri().contains(":streamRawPredict") || c.uri().contains(":rawPredict")).toList();
        }

        @Override
        public String toString() {
            return result + "\n--- calls ---\n" + calls;
        }
    }

    private static Run claude(Path tmp, String... args) throws Exception {
        return claudeWithKey(tmp, SluiceHarness.GATEWAY_KEY, args);
    }

    private static Run claudeWithKey(Path tmp, String key, String... args) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<Call> calls = new CopyOnWriteArrayList<>();
        ClaudeCli.Result result;
        try (RecordingRelay relay = new RecordingRelay(SLUICE.gatewayPort(), (req, body, resp, answer) ->
                calls.add(new Call(req.uri(), resp.statusCode(), resp.getHeader("request-id"), resp.getHeader("x-sluice-cost-usd"),
                        resp.getHeader("x-sluice-model"), answer.toString())))) {
            result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), Map.of(
                            "CLAUDE_CODE_USE_VERTEX", "1",
                            "ANTHROPIC_VERTEX_BASE_URL", relay.url() + "/vertex/v1",
                            "CLAUDE_CODE_SKIP_VERTEX_AUTH", "1",
                            "ANTHROPIC_VERTEX_PROJECT_ID", "sluice-test-project",
                            "CLOUD_ML_REGION", "us-east5",
                            "ANTHROPIC_CUSTOM_HEADERS", "x-api-key: " + key,
                            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                            "DISABLE_AUTOUPDATER", "1"),
                    Duration.ofSeconds(120), args);
        }
        return new Run(result, List.copyOf(calls));
    }
}
