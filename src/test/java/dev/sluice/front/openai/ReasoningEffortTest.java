package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import org.junit.jupiter.api.Test;

/** {@code reasoning_effort} at the chat door as Anthropic's extended thinking, and what thinking cannot take. */
class ReasoningEffortTest {
    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static JsonNode canonical(String fields) throws Exception {
        return Json.MAPPER.readTree(ChatCompletionsRequest.translate(("{\"model\":\"m\"," + MESSAGES + fields + "}").getBytes()).canonical());
    }

    private static ApiError refusal(String fields) {
        try {
            ChatCompletionsRequest.translate(("{\"model\":\"m\"," + MESSAGES + fields + "}").getBytes());
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("not refused: " + fields);
    }

    @Test
    void eachEffortHasItsBudgetAndRoomForTheAnswerWithoutACap() throws Exception {
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("low"), -1)).isEqualTo(new ReasoningEffort("low", 2048, 2048 + 8192));
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("medium"), -1)).isEqualTo(new ReasoningEffort("medium", 8192, 8192 + 8192));
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("high"), -1)).isEqualTo(new ReasoningEffort("high", 16384, 16384 + 8192));
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("xhigh"), -1)).isEqualTo(new ReasoningEffort("xhigh", 24576, 32000));
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("max"), -1)).isEqualTo(new ReasoningEffort("max", 24576, 32000));
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("none"), -1)).isNull();
        assertThat(ReasoningEffort.of("e", TextNode.valueOf("minimal"), -1)).isNull();
        assertThat(ReasoningEffort.of("e", null, -1)).isNull();

        JsonNode a = canonical(",\"reasoning_effort\":\"high\"");
        assertThat(a.at("/thinking/type").asText()).isEqualTo("enabled");
        assertThat(a.at("/thinking/budget_tokens").asInt()).isEqualTo(16384);
        assertThat(a.path("max_tokens").asInt()).isEqualTo(16384 + 8192);
    }

    @Test
    void aClientsCapBoundsThinkingAndAnswerTogetherWithHalfLeftForTheAnswer() throws Exception {
        JsonNode big = canonical(",\"reasoning_effort\":\"medium\",\"max_completion_tokens\":40000");
        assertThat(big.path("max_tokens").asInt()).isEqualTo(40000);
        assertThat(big.at("/thinking/budget_tokens").asInt()).isEqualTo(8192);
        JsonNode small = canonical(",\"reasoning_effort\":\"high\",\"max_tokens\":6000");
        assertThat(small.path("max_tokens").asInt()).isEqualTo(6000);
        assertThat(small.at("/thinking/budget_tokens").asInt()).isEqualTo(3000);
        // Below Anthropic's least budget: the budget stays 1,024 and the cap is raised just above it.
        // A cap given as null is no cap.
        assertThat(canonical(",\"reasoning_effort\":\"medium\",\"max_tokens\":null").path("max_tokens").asInt()).isEqualTo(8192 + 8192);
        JsonNode tiny = canonical(",\"reasoning_effort\":\"low\",\"max_completion_tokens\":300");
        assertThat(tiny.at("/thinking/budget_tokens").asInt()).isEqualTo(1024);
        assertThat(tiny.path("max_tokens").asInt()).isEqualTo(1025);
    }

    @Test
    void samplingAndAForcedToolThinkingCannotTakeAreRefusedNamingTheField() throws Exception {
        assertThat(refusal(",\"reasoning_effort\":\"low\",\"temperature\":0.2").getMessage())
                .startsWith("temperature: 0.2 is not supported by this gateway (expected: 1 or absent with reasoning_effort");
        assertThat(refusal(",\"reasoning_effort\":\"low\",\"top_p\":0.5").getMessage()).startsWith("top_p: 0.5 is not supported");
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]";
        assertThat(refusal(",\"reasoning_effort\":\"low\"" + tools + ",\"tool_choice\":\"required\"").getMessage())
                .startsWith("tool_choice: forcing a tool is not supported by this gateway with reasoning_effort");
        assertThat(refusal(",\"reasoning_effort\":\"low\"" + tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}")
                .getMessage()).startsWith("tool_choice: forcing a tool");
        assertThat(refusal(",\"reasoning_effort\":\"extreme\"").getMessage())
                .startsWith("reasoning_effort: \"extreme\" is not supported by this gateway (expected: none, minimal, low");
        // 1 is the default: accepted and left out, as is auto.
        JsonNode a = canonical(",\"reasoning_effort\":\"low\",\"temperature\":1,\"top_p\":1" + tools + ",\"tool_choice\":\"auto\"");
        assertThat(a.has("temperature")).isFalse();
        assertThat(a.has("top_p")).isFalse();
        assertThat(a.at("/thinking/budget_tokens").asInt()).isEqualTo(2048);
        // Without an effort, nothing changes: temperature clamped and forwarded as before.
        assertThat(canonical(",\"temperature\":0.2").path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void aToolLoopUnderWayGoesWithoutThinkingSinceAChatMessageCannotCarryItsSignedBlock() throws Exception {
        String loop = "{\"model\":\"m\",\"reasoning_effort\":\"medium\",\"messages\":[{\"role\":\"user\",\"content\":\"read a\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"I should read it\",\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"ok\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}";
        JsonNode a = Json.MAPPER.readTree(ChatCompletionsRequest.translate(loop.getBytes()).canonical());
        assertThat(a.has("thinking")).isFalse();
        assertThat(a.path("max_tokens").asInt()).as("the cap without an effort").isEqualTo(ChatCompletionsRequest.DEFAULT_MAX_TOKENS);
        assertThat(a.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        // The user's text after the results joins their turn: still the loop.
        String more = loop.replace("\"content\":\"ok\"}]", "\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"and b?\"}]");
        assertThat(Json.MAPPER.readTree(ChatCompletionsRequest.translate(more.getBytes()).canonical()).has("thinking")).isFalse();
        // The model's answer ends it: the next question thinks again.
        String next = loop.replace("\"content\":\"ok\"}]", "\"content\":\"ok\"},{\"role\":\"assistant\",\"content\":\"Done.\"},"
                + "{\"role\":\"user\",\"content\":\"thanks\"}]");
        assertThat(Json.MAPPER.readTree(ChatCompletionsRequest.translate(next.getBytes()).canonical()).at("/thinking/budget_tokens").asInt())
                .isEqualTo(8192);
    }

    @Test
    void aWrongTypeIsRefused() {
        assertThatThrownBy(() -> ReasoningEffort.of("reasoning_effort", Json.MAPPER.getNodeFactory().numberNode(3), -1))
                .hasMessage("reasoning_effort: expected a string, got 3");
    }
}
