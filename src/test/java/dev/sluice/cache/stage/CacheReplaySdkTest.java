package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.NodeClientScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 28: a cached answer replayed to the official TypeScript SDK (its whole-message call, its stream helper
 * and a raw event stream), from an entry stored whole or streamed, text or a tool call. Each replay must parse, say
 * {@code x-sluice-cache: hit}, carry a fresh message id (and fresh tool-use ids), the live answer's content and output
 * tokens, and the prompt as read from cache; a stream runs message_start to message_stop.
 */
class CacheReplaySdkTest {
    @TempDir
    static Path data;
    @TempDir
    static Path work;
    private static CacheGateway gw;

    @BeforeAll
    static void start() {
        gw = CacheGateway.start(data, "cache: {}\n");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static JsonNode run(String prompt, String first, String tools, String headers) throws Exception {
        NodeClientScript script = new NodeClientScript("cache-replay.cjs", work, gw.url(), "@anthropic-ai/sdk");
        return script.run(Map.of("PROMPT", prompt, "FIRST", first, "TOOLS", tools, "HEADERS", headers)).path("calls");
    }

    @Test
    void aWholeAnswerReplaysToEveryFormTheSdkReads() throws Exception {
        check(run("Replay a whole answer (sdk-cache)", "whole", "", "{}"), false);
    }

    @Test
    void aStreamedAnswerReplaysToEveryFormTheSdkReads() throws Exception {
        check(run("Replay a streamed answer (sdk-cache)", "stream", "", "{}"), false);
    }

    @Test
    void aToolCallReplaysWithItsInputAndFreshIds() throws Exception {
        String tools = "[{\"name\":\"read_file\",\"description\":\"Reads a file\",\"input_schema\":{\"type\":\"object\","
                + "\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}}]";
        check(run("Read the config (sdk-cache)", "stream", tools, "{\"x-sim-tool\":\"read_file\"}"), true);
        check(run("Read the config whole (sdk-cache)", "whole", tools, "{\"x-sim-tool\":\"read_file\"}"), true);
    }

    private static void check(JsonNode calls, boolean tool) {
        assertThat(calls).as(calls.toString()).hasSize(5);
        JsonNode live = calls.get(0);
        JsonNode liveMessage = live.path("message");
        assertThat(live.path("cache").asText()).isEqualTo("miss");
        Set<String> ids = new HashSet<>();
        ids.add(liveMessage.path("id").asText());
        List<String> toolIds = new ArrayList<>(toolIds(liveMessage));
        for (int i = 1; i < calls.size(); i++) {
            JsonNode c = calls.get(i);
            String what = c.path("form").asText() + " replay " + i + ": " + c;
            assertThat(c.path("cache").asText()).as(what).isEqualTo("hit");
            if (c.path("form").asText().equals("raw")) {
                assertThat(c.path("id").asText()).as(what).startsWith("msg_");
                assertThat(ids.add(c.path("id").asText())).as("a fresh message id: " + what).isTrue();
                assertThat(c.path("usage").path("output_tokens").asLong()).as(what)
                        .isEqualTo(liveMessage.path("usage").path("output_tokens").asLong());
            } else {
                JsonNode m = c.path("message");
                assertThat(m.path("id").asText()).as(what).startsWith("msg_");
                assertThat(ids.add(m.path("id").asText())).as("a fresh message id: " + what).isTrue();
                assertThat(m.path("stop_reason").asText()).as(what).isEqualTo(liveMessage.path("stop_reason").asText());
                assertThat(withoutIds(m.path("content"))).as(what).isEqualTo(withoutIds(liveMessage.path("content")));
                assertThat(m.path("usage").path("output_tokens").asLong()).as(what)
                        .isEqualTo(liveMessage.path("usage").path("output_tokens").asLong());
                assertThat(m.path("usage").path("input_tokens").asLong()).as(what).isZero();
                assertThat(m.path("usage").path("cache_read_input_tokens").asLong()).as("the prompt read from cache: " + what)
                        .isEqualTo(liveMessage.path("usage").path("input_tokens").asLong()
                                + liveMessage.path("usage").path("cache_read_input_tokens").asLong()
                                + liveMessage.path("usage").path("cache_creation_input_tokens").asLong());
                for (String id : toolIds(m)) {
                    assertThat(toolIds).as("fresh tool-use ids: " + what).doesNotContain(id);
                    toolIds.add(id);
                }
                if (tool) {
                    assertThat(toolIds(m)).as(what).isNotEmpty();
                }
            }
            if (c.has("types")) {
                List<String> types = new ArrayList<>();
                c.path("types").forEach(t -> types.add(t.asText()));
                assertThat(types).as(what).first().isEqualTo("message_start");
                assertThat(types).as(what).last().isEqualTo("message_stop");
                assertThat(types).as(what).contains("content_block_start", "content_block_stop", "message_delta");
            }
        }
    }

    private static List<String> toolIds(JsonNode message) {
        List<String> out = new ArrayList<>();
        for (JsonNode b : message.path("content")) {
            if (b.path("type").asText().equals("tool_use")) {
                out.add(b.path("id").asText());
            }
        }
        return out;
    }

    private static JsonNode withoutIds(JsonNode content) {
        JsonNode copy = content.deepCopy();
        for (JsonNode b : copy) {
            if (b.path("type").asText().equals("tool_use")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("id");
            }
        }
        return copy;
    }
}
