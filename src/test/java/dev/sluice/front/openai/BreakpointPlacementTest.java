package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where automatic breakpoints go in a translated chat completion: end of tools, end of system, the newest user turns. */
class BreakpointPlacementTest {
    private static final byte[] MARKER = ",\"cache_control\":{\"type\":\"ephemeral\"}".getBytes(StandardCharsets.US_ASCII);
    private static final String LONG = "x".repeat(6000); // 6,000 bytes: about 1,500 tokens by the estimate

    /** An OpenAI request: tools, a system prompt, then alternating user/assistant text, the last few turns tool calls. */
    private static ObjectNode chat(String system, int toolCount, String... turns) {
        ObjectNode req = Json.MAPPER.createObjectNode().put("model", "claude-sonnet-4-5");
        ArrayNode messages = req.putArray("messages");
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (int i = 0; i < turns.length; i++) {
            messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", turns[i]);
        }
        ArrayNode tools = req.putArray("tools");
        for (int i = 0; i < toolCount; i++) {
            ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
            fn.put("name", "tool" + i).put("description", "d".repeat(500));
        }
        return req;
    }

    /** The translated body with the automatic markers inserted, parsed. */
    private static JsonNode placed(ObjectNode chat, int minTokens, int userTurns) throws Exception {
        byte[] canonical = ChatCompletionsRequest.translate(chat.toString().getBytes(StandardCharsets.UTF_8)).canonical();
        RequestBody body = RequestBody.of(canonical);
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, body);
        int[] places = BreakpointPlacement.places(canonical, facts, minTokens, userTurns);
        // The fast path (array ends, for a body without markers) and the walk of every block agree.
        assertThat(places).isEqualTo(MarkerScan.mayContain(canonical, canonical.length) ? places
                : BreakpointPlacement.walked(canonical, facts, minTokens, userTurns));
        for (int at : places) {
            body.insert(at, MARKER, "test");
        }
        return Json.MAPPER.readTree(body.bytes().getBytes());
    }

    /** Paths of the blocks carrying cache_control, in cache order (tools, system, messages). */
    private static List<String> marked(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.path("tools").size(); i++) {
            if (a.path("tools").get(i).has("cache_control")) {
                out.add("tools/" + i);
            }
        }
        for (int i = 0; i < a.path("system").size(); i++) {
            if (a.path("system").get(i).has("cache_control")) {
                out.add("system/" + i);
            }
        }
        for (int m = 0; m < a.path("messages").size(); m++) {
            JsonNode content = a.path("messages").get(m).path("content");
            for (int j = 0; j < content.size(); j++) {
                if (content.get(j).has("cache_control")) {
                    out.add("messages/" + m + "/" + j);
                }
            }
        }
        return out;
    }

    @Test
    void aCodingAgentsTurnGetsToolsSystemAndItsTwoNewestUserTurns() throws Exception {
        JsonNode a = placed(chat(LONG, 12, "q1", "a1", "q2", "a2", "q3"), 1024, 2);
        assertThat(marked(a)).containsExactly("tools/11", "system/0", "messages/2/0", "messages/4/0");
        assertThat(a.at("/messages/4/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void oneUserTurnWhenConfiguredSoAndNoneWhenZero() throws Exception {
        assertThat(marked(placed(chat(LONG, 12, "q1", "a1", "q2"), 1024, 1))).containsExactly("tools/11", "system/0", "messages/2/0");
        assertThat(marked(placed(chat(LONG, 12, "q1", "a1", "q2"), 1024, 0))).containsExactly("tools/11", "system/0");
    }

    @Test
    void prefixesBelowTheModelsMinimumAreLeftUnmarked() throws Exception {
        // 12 tools of ~560 bytes: ~1,700 tokens, below 4,096; with the 6 KB system ~3,200, still below; the turns pass it.
        JsonNode a = placed(chat(LONG, 12, "q1", "a1", LONG + LONG + "q2"), 4096, 2);
        assertThat(marked(a)).containsExactly("messages/2/0");
        // A small request gets nothing: no cache-write premium for a prompt the provider would not cache anyway.
        assertThat(marked(placed(chat("You are brief.", 0, "hi"), 1024, 2))).isEmpty();
    }

    @Test
    void withoutToolsOrSystemOnlyTheTurnsAreMarked() throws Exception {
        assertThat(marked(placed(chat(null, 0, LONG, "a1", "q2"), 1024, 2))).containsExactly("messages/0/0", "messages/2/0");
    }

    @Test
    void aToolLoopsNewestUserTurnIsItsToolResults() throws Exception {
        ObjectNode req = chat(LONG, 0, "fix the bug");
        ArrayNode messages = (ArrayNode) req.get("messages");
        ObjectNode call = messages.addObject().put("role", "assistant");
        call.putArray("tool_calls").addObject().put("id", "c1").put("type", "function").putObject("function")
                .put("name", "read").put("arguments", "{\"path\":\"a.java\"}");
        messages.addObject().put("role", "tool").put("tool_call_id", "c1").put("content", "class A {}");
        JsonNode a = placed(req, 1024, 2);
        assertThat(marked(a)).containsExactly("system/0", "messages/0/0", "messages/2/0");
        assertThat(a.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
    }

    @Test
    void aClientsOwnMarkersDecideAlone() throws Exception {
        ObjectNode req = chat(LONG, 12, "q1", "a1", "q2");
        ((ObjectNode) req.get("messages").get(0)).putObject("cache_control").put("type", "ephemeral");
        assertThat(marked(placed(req, 1024, 2))).containsExactly("system/0");
        ObjectNode tool = chat(LONG, 12, "q1");
        ((ObjectNode) tool.get("tools").get(3)).putObject("cache_control").put("type", "ephemeral");
        assertThat(marked(placed(tool, 1024, 2))).containsExactly("tools/3");
        // inside a tool result's content too
        ObjectNode inner = chat(LONG, 0, "go");
        ArrayNode messages = (ArrayNode) inner.get("messages");
        messages.addObject().put("role", "assistant").putArray("tool_calls").addObject().put("id", "c1").put("type", "function")
                .putObject("function").put("name", "ls").put("arguments", "");
        ArrayNode parts = messages.addObject().put("role", "tool").put("tool_call_id", "c1").putArray("content");
        parts.addObject().put("type", "text").put("text", "a").putObject("cache_control").put("type", "ephemeral");
        JsonNode a = placed(inner, 1024, 2);
        assertThat(marked(a)).isEmpty();
        assertThat(a.at("/messages/2/content/0/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void aToolParameterNamedCacheControlIsNotTakenForAMarker() throws Exception {
        ObjectNode req = chat(LONG, 12, "q1", "a1", "q2");
        ((ObjectNode) req.get("tools").get(0).get("function")).putObject("parameters").put("type", "object")
                .putObject("properties").putObject("cache_control").put("type", "string");
        byte[] canonical = ChatCompletionsRequest.translate(req.toString().getBytes(StandardCharsets.UTF_8)).canonical();
        assertThat(MarkerScan.mayContain(canonical, canonical.length)).isTrue(); // so the walk decides
        assertThat(marked(placed(req, 1024, 2))).containsExactly("tools/11", "system/0", "messages/0/0", "messages/2/0");
    }

    @Test
    void theScanFindsTheNameWhereverItFallsAndOnlyIt() {
        byte[] name = "\"cache_control\"".getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at < 80; at++) {
            byte[] body = ("_".repeat(at) + "\"cache_control\"" + "_a_".repeat(30)).getBytes(StandardCharsets.US_ASCII);
            assertThat(MarkerScan.mayContain(body, body.length)).as("at %d", at).isTrue();
            byte[] near = ("_".repeat(at) + "\"cache-control\" \"cache_contro\"" + "_a_".repeat(30)).getBytes(StandardCharsets.US_ASCII);
            assertThat(MarkerScan.mayContain(near, near.length)).as("at %d", at).isFalse();
            // A name cut off by the body's length is not there.
            assertThat(MarkerScan.mayContain(body, at + name.length - 1)).isFalse();
        }
    }

    @Test
    void neverMoreThanFour() throws Exception {
        String[] turns = new String[21];
        for (int i = 0; i < turns.length; i++) {
            turns[i] = LONG;
        }
        assertThat(marked(placed(chat(LONG, 30, turns), 1024, 2))).hasSize(4);
    }
}
