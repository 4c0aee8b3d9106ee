package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reasoning through the real gateway to the simulator, which refuses (as Anthropic does) a tool loop whose thinking
 * block did not come back: Codex's settings become thinking, the answer's thinking block a reasoning item whole and
 * streamed, and the item sent back next turn the same block before the call, so the loop goes on with thinking.
 */
class ResponsesReasoningThroughGatewayTest {
    static final String OTHER_KEY = "sk-sluice-reasoning-other-0123";
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}", "%s"]}
            """.formatted(ResponsesReasoningThroughGatewayTest.OTHER_KEY) + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
              - {match: "gpt-*", upstream: openai}
            """);
    private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]";

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpResponse<String> post(String body) {
        return post(SluiceHarness.GATEWAY_KEY, body);
    }

    private static HttpResponse<String> post(String key, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/responses")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Whom the gateway seals the test key's reasoning for: its key's stable id, as the item store names it. */
    static String owner(String key) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "key:static-" + java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Codex sends with model_reasoning_effort = "high". */
    private static String codex(String model, boolean stream, String input) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"store\":false,\"instructions\":\"Be brief.\","
                + "\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},\"include\":[\"reasoning.encrypted_content\"],"
                + "\"tool_choice\":\"auto\",\"parallel_tool_calls\":false" + TOOLS + ",\"input\":" + input + "}";
    }

    private static final String QUESTION = "[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
            + "\"text\":\"Weather in Lisbon?\"}]}]";

    private static List<JsonNode> frames(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (!frame.isBlank()) {
                out.add(Http.json(frame.split("\n")[1].substring("data: ".length())));
            }
        }
        return out;
    }

    private static JsonNode upstreamBody() {
        return Http.json(SLUICE.recorder().received().getLast().bodyText());
    }

    /** The next turn's input: the question, the answer's output items as Codex keeps them, and the call's output. */
    private static String nextTurn(JsonNode output, String callId) {
        ArrayNode input = (ArrayNode) Http.json(QUESTION);
        for (JsonNode item : output) {
            ObjectNode copy = item.deepCopy();
            copy.remove("status");
            input.add(copy);
        }
        input.addObject().put("type", "function_call_output").put("call_id", callId).put("output", "18C and sunny");
        return input.toString();
    }

    @Test
    void aToolLoopWithThinkingGoesOnWithTheSameSignedBlock() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once", "x-sim-thinking-loop", "strict"));
        HttpResponse<String> first = post(codex(SluiceHarness.MODEL, false, QUESTION));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode sent = upstreamBody();
        assertThat(sent.at("/thinking/type").asText()).isEqualTo("enabled");
        assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(16384);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(16384 + 8192);
        JsonNode output = Http.json(first.body()).path("output");
        JsonNode reasoning = output.get(0);
        assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
        assertThat(reasoning.at("/summary/0/type").asText()).isEqualTo("summary_text");
        String thought = reasoning.at("/summary/0/text").asText();
        assertThat(thought).isNotBlank();
        assertThat(reasoning.path("encrypted_content").asText()).startsWith("sluice-r1.");
        JsonNode call = output.get(1);
        assertThat(call.path("type").asText()).isEqualTo("function_call");

        HttpResponse<String> second = post(codex(SluiceHarness.MODEL, false, nextTurn(output, call.path("call_id").asText())));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode loop = upstreamBody();
        assertThat(loop.at("/thinking/type").asText()).isEqualTo("enabled");
        JsonNode assistant = loop.at("/messages/1");
        assertThat(assistant.at("/content/0/type").asText()).isEqualTo("thinking");
        assertThat(assistant.at("/content/0/thinking").asText()).isEqualTo(thought);
        assertThat(assistant.at("/content/0/signature").asText())
                .isEqualTo(ReasoningSeal.open(reasoning.path("encrypted_content").asText(), owner(SluiceHarness.GATEWAY_KEY)).path("signature").asText()).isNotEmpty();
        assertThat(assistant.at("/content/1/type").asText()).isEqualTo("tool_use");
        assertThat(Http.json(second.body()).at("/output/1/content/0/text").asText()).contains("18C and sunny");
    }

    @Test
    void anotherKeySendingThisKeysSealedReasoningGetsItDroppedNeverForwarded() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once", "x-sim-thinking-loop", "strict"));
        JsonNode output = Http.json(post(codex(SluiceHarness.MODEL, false, QUESTION)).body()).path("output");
        String thought = output.get(0).at("/summary/0/text").asText();
        assertThat(thought).isNotBlank();
        // Key B has key A's encrypted_content (a shared transcript, a log): the gateway must not open it for B, or the
        // model would be handed A's thinking in B's conversation.
        ObjectNode reasoning = (ObjectNode) output.get(0);
        reasoning.remove("summary");
        reasoning.putArray("summary");
        HttpResponse<String> theirs = post(OTHER_KEY, codex(SluiceHarness.MODEL, false, nextTurn(output, output.get(1).path("call_id").asText())));
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
        JsonNode loop = upstreamBody();
        assertThat(loop.toString()).doesNotContain(thought);
        assertThat(loop.has("thinking")).isFalse();
        assertThat(loop.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
    }

    @Test
    void aReasoningItemThatDoesNotOpenIsDroppedAndTheLoopGoesOnWithoutThinking() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once", "x-sim-thinking-loop", "strict"));
        JsonNode output = Http.json(post(codex(SluiceHarness.MODEL, false, QUESTION)).body()).path("output");
        ObjectNode reasoning = (ObjectNode) output.get(0);
        String sealed = reasoning.path("encrypted_content").asText();
        reasoning.put("encrypted_content", sealed.substring(0, sealed.length() - 4) + "AAAA");
        HttpResponse<String> second = post(codex(SluiceHarness.MODEL, false, nextTurn(output, output.get(1).path("call_id").asText())));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200); // not the upstream's 400 for a loop without its block
        JsonNode loop = upstreamBody();
        assertThat(loop.has("thinking")).isFalse();
        assertThat(loop.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
    }

    @Test
    void aStreamGivesTheReasoningItemWithItsSummaryEvents() {
        HttpResponse<String> r = post(codex(SluiceHarness.MODEL, true, QUESTION));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> frames = frames(r.body());
        List<String> types = frames.stream().map(f -> f.path("type").asText()).toList();
        assertThat(types.subList(0, 5)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta");
        StringBuilder deltas = new StringBuilder();
        frames.stream().filter(f -> f.path("type").asText().equals("response.reasoning_summary_text.delta"))
                .forEach(f -> deltas.append(f.path("delta").asText()));
        JsonNode done = frames.getLast().path("response");
        assertThat(frames.getLast().path("type").asText()).isEqualTo("response.completed");
        assertThat(done.at("/output/0/summary/0/text").asText()).isEqualTo(deltas.toString()).isNotBlank();
        assertThat(ReasoningSeal.open(done.at("/output/0/encrypted_content").asText(), owner(SluiceHarness.GATEWAY_KEY)).path("thinking").asText()).isEqualTo(deltas.toString());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
    }

    @Test
    void anOpenAiUpstreamGetsTheEffortAsReasoningEffort() {
        HttpResponse<String> r = post(codex("gpt-5", false, QUESTION));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/v1/chat/completions");
        JsonNode sent = Http.json(received.bodyText());
        assertThat(sent.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(sent.has("thinking")).isFalse();
    }

    @Test
    void whatThinkingCannotTakeIsRefusedBeforeAnythingIsForwarded() {
        int before = SLUICE.recorder().received().size();
        HttpResponse<String> r = post(codex(SluiceHarness.MODEL, false, QUESTION).replace("\"tool_choice\":\"auto\"", "\"tool_choice\":\"required\""));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.valueToTree(Http.json(r.body()).path("error"));
        assertThat(error.path("param").asText()).isEqualTo("tool_choice");
        assertThat(error.path("message").asText()).contains("forcing a tool is not supported by this gateway with reasoning.effort");
        assertThat(SLUICE.recorder().received()).hasSize(before);
    }
}
