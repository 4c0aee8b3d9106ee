package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Await;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.CodexCli;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Codex CLI (npm {@code @openai/codex}, which speaks only the Responses API to a custom provider) through the
 * gateway to Claude: one {@code codex exec} turn, then a second that resumes it. Codex sends what no SDK test does:
 * developer messages, its {@code client_metadata}, a {@code namespace} of sub-agent tools and a {@code web_search}
 * tool. The turn must complete, the upstream must get a Messages body with the namespace's tools joined by name and no
 * search tool, the resumed turn must carry the first answer back, and the ledger must bill what the upstream billed.
 */
class CodexCliThroughGatewayTest {
    private static final String ADMIN = "admin-codex-test-key";

    @Test
    void codexExecAndResumeRunThroughTheResponsesDoorToClaude(@TempDir Path home, @TempDir Path workspace, @TempDir Path data)
            throws Exception {
        Path bin = CodexCli.require();
        Files.createDirectories(home.resolve(".codex"));
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + "admin: {keys: [{value: " + ADMIN + ", role: read}]}\n"
                + "store: {data-dir: \"" + data + "\"}\n")) {
            ClaudeCli.Result first = codex(bin, h, home, workspace, "exec", "--skip-git-repo-check", "Say hi.");
            assertThat(first.exitCode()).as(first.toString()).isZero();

            JsonNode sent = Http.json(h.recorder().received().getLast().bodyText());
            assertThat(sent.path("model").asText()).isEqualTo(SluiceHarness.MODEL);
            assertThat(sent.path("stream").asBoolean()).as("Codex streams").isTrue();
            assertThat(sent.at("/system/0/text").asText()).as("developer messages are the system prompt").contains("Codex");
            List<String> tools = new ArrayList<>();
            sent.path("tools").forEach(t -> tools.add(t.path("name").asText()));
            assertThat(tools).contains("exec_command").anyMatch(n -> n.startsWith("multi_agent_v1__"))
                    .noneMatch(n -> n.contains("search"));
            assertThat(sent.at("/messages/0/role").asText()).isEqualTo("user");

            ClaudeCli.Result second = codex(bin, h, home, workspace, "exec", "--skip-git-repo-check", "resume", "--last", "And bye.");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            JsonNode resumed = Http.json(h.recorder().received().getLast().bodyText());
            String answer = "";
            for (JsonNode m : resumed.path("messages")) {
                if (m.path("role").asText().equals("assistant")) {
                    answer = m.at("/content/0/text").asText();
                }
            }
            assertThat(answer).as("the first answer goes back as an assistant turn: " + resumed.path("messages")).isNotBlank();
            assertThat(first.stdout()).as("what Codex printed is the answer Claude gave").contains(answer.strip());
            assertThat(resumed.path("messages").toString()).contains("And bye.");

            BilledUsage billed = h.recorder().billed().getLast();
            assertThat(h.recorder().billed()).hasSize(2);
            // The ledger writes behind the answers: wait until both turns are in it.
            JsonNode spend = Await.until(Duration.ofSeconds(20), () -> {
                JsonNode s = spend(h);
                return s.path("requests").asLong() == 2 ? s : null;
            }, () -> "both Codex turns in the ledger");
            assertThat(spend.path("output_tokens").asLong())
                    .isEqualTo(h.recorder().billed().stream().mapToLong(BilledUsage::outputTokens).sum());
            assertThat(billed.outputTokens()).isPositive();
            assertThat(spend.path("cost_usd").decimalValue()).isPositive();
        }
    }

    private static ClaudeCli.Result codex(Path bin, SluiceHarness h, Path home, Path workspace, String... args) throws Exception {
        return codex(bin, h, home, workspace, List.of(), args);
    }

    /** @param config more {@code -c key=value} settings, as pairs ({@code "-c", "model_reasoning_effort=high"}) */
    private static ClaudeCli.Result codex(Path bin, SluiceHarness h, Path home, Path workspace, List<String> config, String... args)
            throws Exception {
        List<String> all = new ArrayList<>(config);
        all.addAll(List.of("-c", "model_provider=sluice",
                "-c", "model_providers.sluice={name=\"sluice\", base_url=\"" + h.gatewayUrl() + "/v1\", wire_api=\"responses\", "
                        + "env_key=\"SLUICE_KEY\"}",
                "-m", SluiceHarness.MODEL));
        all.addAll(0, List.of(args).subList(0, 1)); // the subcommand first: codex exec -c ... -m ... [rest]
        all.addAll(List.of(args).subList(1, args.length));
        return ClaudeCli.run(bin, workspace, home, Map.of("CODEX_HOME", home.resolve(".codex").toString(),
                "SLUICE_KEY", SluiceHarness.GATEWAY_KEY), Duration.ofSeconds(90), all.toArray(String[]::new));
    }

    private static JsonNode spend(SluiceHarness h) {
        var r = Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + "/admin/spend?by=model&since=1h"))
                .header("authorization", "Bearer " + ADMIN).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode data = Http.json(r.body()).path("data");
        assertThat(data.size()).as(r.body()).isLessThanOrEqualTo(1);
        return data.isEmpty() ? Http.json("{}") : data.get(0);
    }

    /**
     * Codex's agent loop: the model calls Codex's {@code exec_command}; Codex runs it (in its sandbox, or fails to:
     * either way a {@code function_call_output} comes back) and sends the call and its output in the next request,
     * which must reach the upstream as the assistant's {@code tool_use} and the user's {@code tool_result} with the same
     * id; then the model answers in text and the turn ends.
     */
    @Test
    void aToolCallRoundTripsThroughCodexsAgentLoop(@TempDir Path home, @TempDir Path workspace, @TempDir Path data)
            throws Exception {
        Path bin = CodexCli.require();
        Files.createDirectories(home.resolve(".codex"));
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + "store: {data-dir: \"" + data + "\"}\n")) {
            h.sim().standingDirectives(Map.of("x-sim-tool", "exec_command;once"));
            ClaudeCli.Result run = codex(bin, h, home, workspace, "exec", "--skip-git-repo-check", "List the files.");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(h.recorder().received()).as(run.toString()).hasSize(2);
            JsonNode first = Http.json(h.recorder().received().get(0).bodyText());
            assertThat(first.path("messages")).hasSize(1);
            JsonNode second = Http.json(h.recorder().received().get(1).bodyText());
            JsonNode call = null;
            JsonNode result = null;
            for (JsonNode m : second.path("messages")) {
                for (JsonNode block : m.path("content")) {
                    if (block.path("type").asText().equals("tool_use")) {
                        call = block;
                    } else if (block.path("type").asText().equals("tool_result")) {
                        result = block;
                    }
                }
            }
            assertThat(call).as(second.path("messages").toString()).isNotNull();
            assertThat(call.path("name").asText()).isEqualTo("exec_command");
            assertThat(result).as(second.path("messages").toString()).isNotNull();
            assertThat(result.path("tool_use_id").asText()).isEqualTo(call.path("id").asText());
            assertThat(run.stdout()).as("the model's closing text, which quotes the tool's output").isNotBlank();
        }
    }

    /**
     * Codex with {@code model_reasoning_effort = "high"}: its {@code reasoning} and {@code include} become thinking with
     * the high budget; the model thinks and calls {@code exec_command}; Codex sends the reasoning item back with the call
     * and its output, and the upstream gets the signed thinking block before the call, which the simulator (strict about
     * it, as Anthropic is) requires, so the loop ends in a text answer with Codex exiting 0.
     */
    @Test
    void highReasoningEffortKeepsItsThinkingThroughCodexsAgentLoop(@TempDir Path home, @TempDir Path workspace, @TempDir Path data)
            throws Exception {
        Path bin = CodexCli.require();
        Files.createDirectories(home.resolve(".codex"));
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + "store: {data-dir: \"" + data + "\"}\n")) {
            h.sim().standingDirectives(Map.of("x-sim-tool", "exec_command;once", "x-sim-thinking-loop", "strict"));
            ClaudeCli.Result run = codex(bin, h, home, workspace, List.of("-c", "model_reasoning_effort=high"),
                    "exec", "--skip-git-repo-check", "List the files.");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(h.recorder().received()).as(run.toString()).hasSize(2);
            JsonNode first = Http.json(h.recorder().received().get(0).bodyText());
            assertThat(first.at("/thinking/type").asText()).as(first.toString().substring(0, 200)).isEqualTo("enabled");
            assertThat(first.at("/thinking/budget_tokens").asInt()).isEqualTo(16384);
            assertThat(first.path("max_tokens").asInt()).isGreaterThan(16384);
            JsonNode second = Http.json(h.recorder().received().get(1).bodyText());
            assertThat(second.at("/thinking/type").asText()).isEqualTo("enabled");
            JsonNode assistant = null;
            for (JsonNode m : second.path("messages")) {
                assistant = m.path("role").asText().equals("assistant") ? m : assistant;
            }
            assertThat(assistant).as(second.path("messages").toString()).isNotNull();
            assertThat(assistant.at("/content/0/type").asText()).as(assistant.toString()).isEqualTo("thinking");
            assertThat(assistant.at("/content/0/signature").asText()).isNotEmpty();
            assertThat(assistant.at("/content/1/type").asText()).isEqualTo("tool_use");
            assertThat(assistant.at("/content/1/name").asText()).isEqualTo("exec_command");
        }
    }
}
