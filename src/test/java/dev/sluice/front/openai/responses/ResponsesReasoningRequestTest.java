package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code reasoning.effort} at the Responses door as Anthropic's extended thinking, and {@code reasoning} input items
 * back as the thinking blocks they were sealed from, or dropped by the documented rule.
 */
class ResponsesReasoningRequestTest {
    private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}]";

    private static JsonNode canonical(String body) throws Exception {
        return Json.MAPPER.readTree(ResponsesRequest.translate(body.getBytes()).canonical());
    }

    private static ApiError refusal(String body) {
        try {
            ResponsesRequest.translate(body.getBytes());
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("not refused: " + body);
    }

    /** Codex's second request of a tool loop: the question, the reasoning item, the call and its output. */
    private static String loop(String effort, String reasoningItem) {
        return "{\"model\":\"m\",\"reasoning\":{\"effort\":\"" + effort + "\",\"summary\":\"auto\"},"
                + "\"include\":[\"reasoning.encrypted_content\"]" + TOOLS + ",\"input\":["
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"read a\"}]},"
                + reasoningItem
                + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"ok\"}]}";
    }

    private static String item(String sealed) {
        return "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"I should read it\"}],"
                + "\"encrypted_content\":" + (sealed == null ? "null" : "\"" + sealed + "\"") + "},";
    }

    @Test
    void codexsHighEffortBecomesThinkingWithItsBudget() throws Exception {
        JsonNode a = canonical("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},"
                + "\"include\":[\"reasoning.encrypted_content\"],\"store\":false}");
        assertThat(a.at("/thinking/type").asText()).isEqualTo("enabled");
        assertThat(a.at("/thinking/budget_tokens").asInt()).isEqualTo(16384);
        assertThat(a.path("max_tokens").asInt()).isEqualTo(16384 + 8192);
        JsonNode capped = canonical("{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":5000,\"reasoning\":{\"effort\":\"low\"}}");
        assertThat(capped.path("max_tokens").asInt()).isEqualTo(5000);
        assertThat(capped.at("/thinking/budget_tokens").asInt()).isEqualTo(2048);
        assertThat(canonical("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"minimal\"}}").has("thinking")).isFalse();
    }

    @Test
    void whatThinkingCannotTakeIsRefusedNamingTheField() {
        assertThat(refusal("{\"model\":\"m\",\"input\":\"hi\",\"temperature\":0.3,\"reasoning\":{\"effort\":\"low\"}}").getMessage())
                .startsWith("temperature: 0.3 is not supported by this gateway (expected: 1 or absent with reasoning.effort");
        assertThat(refusal("{\"model\":\"m\",\"input\":\"hi\",\"tool_choice\":\"required\"" + TOOLS + ",\"reasoning\":{\"effort\":\"low\"}}")
                .getMessage()).startsWith("tool_choice: forcing a tool is not supported by this gateway with reasoning.effort");
        assertThat(refusal("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"huge\"}}").getMessage())
                .startsWith("reasoning.effort: \"huge\" is not supported by this gateway");
        assertThat(refusal("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"summary\":\"long\"}}").getMessage())
                .startsWith("reasoning.summary: \"long\" is not supported");
        assertThat(refusal(loop("low", "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":7},")).getMessage())
                .startsWith("input.1.encrypted_content: expected a string or null");
    }

    @Test
    void aSealedReasoningItemComesBackAsItsThinkingBlockBeforeTheCall() throws Exception {
        String sealed = ReasoningSeal.thinking("I should read it", "EqQBsig", null);
        JsonNode a = canonical(loop("high", item(sealed)));
        JsonNode assistant = a.at("/messages/1");
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.at("/content/0").toString())
                .isEqualTo("{\"type\":\"thinking\",\"thinking\":\"I should read it\",\"signature\":\"EqQBsig\"}");
        assertThat(assistant.at("/content/1/type").asText()).isEqualTo("tool_use");
        assertThat(a.at("/thinking/budget_tokens").asInt()).isEqualTo(16384);

        String redacted = ReasoningSeal.redacted("opaque-data", null);
        assertThat(canonical(loop("high", item(redacted))).at("/messages/1/content/0").toString())
                .isEqualTo("{\"type\":\"redacted_thinking\",\"data\":\"opaque-data\"}");
    }

    @Test
    void anItemThatDoesNotOpenIsDroppedAndTheLoopGoesWithoutThinking() throws Exception {
        String sealed = ReasoningSeal.thinking("I should read it", "EqQBsig", null);
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "thinking").put("thinking", "x").put("signature", "s");
        String otherKey = ReasoningSeal.seal(block, ReasoningSeal.key("another gateway's key"), null);
        String otherCaller = ReasoningSeal.seal(block, "key:someone-else"); // this request has no caller: not its item
        String oversized = "sluice-r1." + "A".repeat(ReasoningSeal.MAX_SEALED);
        for (String bad : new String[] {null, tampered, otherKey, otherCaller, oversized, "gAAAAABopenai", ""}) {
            JsonNode a = canonical(loop("high", item(bad)));
            assertThat(a.at("/messages/1/content/0/type").asText()).as(String.valueOf(bad)).isEqualTo("tool_use");
            assertThat(a.has("thinking")).as("Anthropic refuses thinking in a loop without its block").isFalse();
            assertThat(a.path("max_tokens").asInt()).as("the cap without an effort").isEqualTo(8192);
        }
        assertThat(canonical(loop("high", "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]},")).has("thinking")).isFalse();
    }

    @Test
    void withoutAnEffortOrWithoutAnAssistantOutputAfterItAnItemIsDropped() throws Exception {
        String sealed = ReasoningSeal.thinking("I should read it", "EqQBsig", null);
        JsonNode off = canonical(loop("none", item(sealed)));
        assertThat(off.has("thinking")).isFalse();
        assertThat(off.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        // A reasoning item the user's next message follows: nothing of the assistant's to precede.
        JsonNode orphan = canonical("{\"model\":\"m\",\"reasoning\":{\"effort\":\"low\"},\"input\":["
                + "{\"role\":\"user\",\"content\":\"a\"}," + item(sealed) + "{\"role\":\"user\",\"content\":\"b\"}]}");
        assertThat(orphan.path("messages")).hasSize(1);
        assertThat(orphan.toString()).doesNotContain("\"thinking\",\"thinking\"");
        assertThat(orphan.at("/thinking/budget_tokens").asInt()).isEqualTo(2048);
    }
}
