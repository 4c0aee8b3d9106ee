package dev.sluice.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The gateway's own thinking blocks never reach Claude, which would refuse their signature. */
class ForeignThinkingTest {
    private static final String OURS = "{\"type\":\"thinking\",\"thinking\":\"upstream reasoning\",\"signature\":\""
            + ForeignThinking.SIGNATURE + "\"}";
    private static final String CLAUDES = "{\"type\":\"thinking\",\"thinking\":\"signed\",\"signature\":\"EqQBCkgIARAB\"}";
    private static final String TOOL_USE = "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"Read\",\"input\":{\"file_path\":\"/a\"}}";
    private static final String RESULT = "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\","
            + "\"content\":\"ok\",\"cache_control\":{\"type\":\"ephemeral\"}}]}";

    private static String body(String thinking, String... messages) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096" + (thinking == null ? "" : ",\"thinking\":" + thinking)
                + ",\"messages\":[" + String.join(", ", messages) + "],\"stream\":true}";
    }

    private static JsonNode sent(RequestBody body) {
        try {
            return Json.MAPPER.readTree(body.bytes().getBytes());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body.bytes(), e);
        }
    }

    private static String user(String text) {
        return "{\"role\":\"user\",\"content\":\"" + text + "\"}";
    }

    private static String assistant(String... blocks) {
        return "{\"role\":\"assistant\",\"content\":[" + String.join(",", blocks) + "]}";
    }

    @Test
    void aBodyWithoutTheMarkIsTheSameBody() {
        RequestBody body = RequestBody.of(body(null, user("hi"), assistant(CLAUDES, "{\"type\":\"text\",\"text\":\"yo\"}"), user("again")));
        assertThat(ForeignThinking.forClaude(body)).isSameAs(body);
        assertThat(ForeignThinking.isForeign("EqQBCkgIARAB")).isFalse();
        assertThat(ForeignThinking.isForeign(ForeignThinking.SIGNATURE)).isTrue();
    }

    @Test
    void theGatewaysBlocksGoAndEverythingElseStaysAsSent() {
        String text = "{\"type\":\"text\",\"text\":\"The answer.\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}";
        String original = body("{\"type\":\"enabled\",\"budget_tokens\":2048}", user("q1"), assistant(OURS, text), user("q2"),
                assistant(CLAUDES, text), user("q3"), assistant(text, OURS), user("q4"));
        RequestBody out = ForeignThinking.forClaude(RequestBody.of(original));
        String expected = body("{\"type\":\"enabled\",\"budget_tokens\":2048}", user("q1"), assistant(text), user("q2"),
                assistant(CLAUDES, text), user("q3"), assistant(text), user("q4"));
        assertThat(out.bytes().toString()).isEqualTo(expected);
    }

    @Test
    void aMessageOfOnlyTheGatewaysBlocksGoesWhole() {
        RequestBody out = ForeignThinking.forClaude(RequestBody.of(body(null, user("q1"), assistant(OURS, OURS), user("q2"))));
        assertThat(out.bytes().toString()).isEqualTo(body(null, user("q1"), user("q2")));
        RequestBody last = ForeignThinking.forClaude(RequestBody.of(body(null, user("q1"), assistant(OURS))));
        assertThat(last.bytes().toString()).isEqualTo(body(null, user("q1")));
    }

    @Test
    void aToolLoopThatLostItsThinkingBlockGoesWithoutThinking() {
        for (String thinking : new String[] {"{\"type\":\"enabled\",\"budget_tokens\":2048}", "{\"type\":\"adaptive\"}"}) {
            RequestBody out = ForeignThinking.forClaude(RequestBody.of(body(thinking, user("read a"), assistant(OURS, TOOL_USE), RESULT)));
            JsonNode sent = sent(out);
            assertThat(sent.at("/thinking/type").asText()).as(thinking).isEqualTo("disabled");
            assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
            assertThat(sent.at("/messages/2/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
        }
    }

    @Test
    void thinkingStaysOnWhenTheLoopStillStartsWithClaudesBlockOrTheLoopIsOver() {
        String on = "{\"type\":\"enabled\",\"budget_tokens\":2048}";
        JsonNode signed = sent(ForeignThinking.forClaude(RequestBody.of(body(on, user("q"), assistant(OURS, "{\"type\":\"text\",\"text\":\"x\"}"),
                user("read a"), assistant(CLAUDES, TOOL_USE), RESULT))));
        assertThat(signed.at("/thinking/type").asText()).isEqualTo("enabled");
        assertThat(signed.at("/messages/1/content").size()).isEqualTo(1);
        JsonNode over = sent(ForeignThinking.forClaude(RequestBody.of(body(on, user("read a"), assistant(OURS, TOOL_USE), RESULT,
                assistant("{\"type\":\"text\",\"text\":\"done\"}"), user("next question")))));
        assertThat(over.at("/thinking/type").asText()).as("a new user question thinks again").isEqualTo("enabled");
        assertThat(over.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
    }

    @Test
    void bedrocksAdaptationWorksOnTheStrippedBody() {
        RequestBody stripped = ForeignThinking.forClaude(RequestBody.of(body("{\"type\":\"enabled\",\"budget_tokens\":2048}",
                user("q1"), assistant(OURS, "{\"type\":\"text\",\"text\":\"a\"}"), user("q2"))));
        JsonNode sent = sent(dev.sluice.provider.bedrock.BedrockBody.invokeBody(stripped, java.util.List.of("interleaved-thinking-2025-05-14")));
        assertThat(sent.has("model")).isFalse();
        assertThat(sent.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.at("/messages/1/content").size()).isEqualTo(1);
        assertThat(sent.toString()).doesNotContain(ForeignThinking.SIGNATURE);
    }

    @Test
    void theStagesEditsAreKept() {
        RequestBody body = RequestBody.of(body(null, user("q1"), assistant(OURS, "{\"type\":\"text\",\"text\":\"a\"}"), user("q2")));
        int at = body.bytes().toString().indexOf("claude-sonnet-4-5");
        body.replace(at - 1, at + "claude-sonnet-4-5".length() + 1, "\"claude-opus-4-6\"".getBytes(), "route: model");
        JsonNode sent = sent(ForeignThinking.forClaude(body));
        assertThat(sent.path("model").asText()).isEqualTo("claude-opus-4-6");
        assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("text");
        assertThat(body.bytes().toString()).as("the exchange's own body is untouched").contains(ForeignThinking.SIGNATURE);
    }
}
