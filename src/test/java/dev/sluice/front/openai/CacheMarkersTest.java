package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Clients' {@code cache_control} markers (LiteLLM's and OpenRouter's convention) carried to the Anthropic blocks they map to. */
class CacheMarkersTest {
    private static final String EPHEMERAL = "{\"type\":\"ephemeral\"}";

    private static JsonNode translate(String body) throws Exception {
        return Json.MAPPER.readTree(ChatCompletionsRequest.translate(body.getBytes(StandardCharsets.UTF_8)).canonical());
    }

    private static ApiError refusal(String body) {
        try {
            ChatCompletionsRequest.translate(body.getBytes(StandardCharsets.UTF_8));
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void partMarkersGoOnTheirOwnBlocks() throws Exception {
        JsonNode a = translate("""
                {"model":"claude-sonnet-4-5","messages":[
                  {"role":"system","content":[{"type":"text","text":"rules"},
                                              {"type":"text","text":"the big document","cache_control":{"type":"ephemeral","ttl":"1h"}},
                                              {"type":"text","text":"today's date"}]},
                  {"role":"user","content":[{"type":"text","text":"question","cache_control":{"type":"ephemeral"}}]}]}
                """);
        // A marked system message keeps its parts as blocks, so the breakpoint stays after the document, not the date.
        assertThat(a.get("system")).hasSize(3);
        assertThat(a.at("/system/0").has("cache_control")).isFalse();
        assertThat(a.at("/system/1/cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        assertThat(a.at("/system/2").has("cache_control")).isFalse();
        assertThat(a.at("/messages/0/content/0/cache_control").toString()).isEqualTo(EPHEMERAL);
    }

    @Test
    void unmarkedSystemPartsAreStillJoinedAsBefore() throws Exception {
        JsonNode a = translate("""
                {"model":"m","messages":[{"role":"system","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
                  {"role":"user","content":"hi"}]}
                """);
        assertThat(a.get("system")).hasSize(1);
        assertThat(a.at("/system/0/text").asText()).isEqualTo("a\nb");
        assertThat(a.toString()).doesNotContain("cache_control");
    }

    @Test
    void messageMarkersGoOnTheMessagesLastBlock() throws Exception {
        JsonNode a = translate("""
                {"model":"m","messages":[
                  {"role":"system","content":"long rules","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":"read a.txt"},
                  {"role":"assistant","content":"reading","tool_calls":[{"id":"c1","type":"function","function":{"name":"read","arguments":"{}"}}],
                   "cache_control":{"type":"ephemeral"}},
                  {"role":"tool","tool_call_id":"c1","content":"file text","cache_control":{"type":"ephemeral","ttl":"5m"}},
                  {"role":"user","content":"summarise it","cache_control":{"type":"ephemeral"}}]}
                """);
        assertThat(a.at("/system/0/cache_control").toString()).isEqualTo(EPHEMERAL);
        assertThat(a.at("/messages/0/content/0").has("cache_control")).isFalse();
        assertThat(a.at("/messages/1/content/0").has("cache_control")).isFalse();
        assertThat(a.at("/messages/1/content/1/type").asText()).isEqualTo("tool_use");
        assertThat(a.at("/messages/1/content/1/cache_control").toString()).isEqualTo(EPHEMERAL);
        assertThat(a.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(a.at("/messages/2/content/0/cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"5m\"}");
        assertThat(a.at("/messages/2/content/1/text").asText()).isEqualTo("summarise it");
        assertThat(a.at("/messages/2/content/1/cache_control").toString()).isEqualTo(EPHEMERAL);
    }

    @Test
    void aPartsAndItsMessagesMarkerOnOneBlockAreOneBreakpoint() throws Exception {
        String body = """
                {"model":"m","messages":[
                  {"role":"system","content":"s","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":"1","cache_control":{"type":"ephemeral"}},
                  {"role":"assistant","content":"2","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":[{"type":"text","text":"3","cache_control":{"type":"ephemeral","ttl":"1h"}}],
                   "cache_control":{"type":"ephemeral"}}]}""";
        JsonNode a = translate(body);
        assertThat(a.at("/messages/2/content/0/cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        assertThat(a.toString().split("cache_control", -1)).hasSize(5);
    }

    @Test
    void toolResultPartsKeepTheirMarkerInsideTheResult() throws Exception {
        JsonNode a = translate("""
                {"model":"m","messages":[{"role":"user","content":"go"},
                  {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"ls","arguments":""}}]},
                  {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"a.txt","cache_control":{"type":"ephemeral"}},
                                                               {"type":"text","text":"b.txt"}]}]}
                """);
        JsonNode result = a.at("/messages/2/content/0");
        assertThat(result.get("type").asText()).isEqualTo("tool_result");
        assertThat(result.at("/content/0/cache_control").toString()).isEqualTo(EPHEMERAL);
        assertThat(result.at("/content/1/text").asText()).isEqualTo("b.txt");
    }

    @Test
    void toolMarkersGoOnTheTool() throws Exception {
        JsonNode a = translate("""
                {"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[
                  {"type":"function","function":{"name":"a","parameters":{"type":"object"}}},
                  {"type":"function","function":{"name":"b"},"cache_control":{"type":"ephemeral","ttl":"1h"}}]}
                """);
        assertThat(a.at("/tools/0").has("cache_control")).isFalse();
        assertThat(a.at("/tools/1/cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        assertThat(a.at("/tools/1/input_schema/type").asText()).isEqualTo("object");
    }

    @Test
    void aTopLevelMarkerGoesOnTheLastBlockUnlessItHasOne() throws Exception {
        JsonNode a = translate("""
                {"model":"m","cache_control":{"type":"ephemeral"},"messages":[{"role":"system","content":"rules"},
                  {"role":"user","content":"q1"},{"role":"assistant","content":"a1"},{"role":"user","content":"q2"}]}
                """);
        assertThat(a.has("cache_control")).isFalse();
        assertThat(a.toString().split("cache_control", -1)).hasSize(2);
        assertThat(a.at("/messages/2/content/0/cache_control").toString()).isEqualTo(EPHEMERAL);
        // Already marked there: one breakpoint, counted once (so four others still fit).
        String four = """
                {"model":"m","cache_control":{"type":"ephemeral"},"messages":[
                  {"role":"system","content":"s","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":"1","cache_control":{"type":"ephemeral"}},
                  {"role":"assistant","content":"2","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":"3","cache_control":{"type":"ephemeral","ttl":"1h"}}]}""";
        JsonNode b = translate(four);
        assertThat(b.at("/messages/2/content/0/cache_control").toString()).isEqualTo("{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");
        assertThat(refusal(four.replace("\"cache_control\":{\"type\":\"ephemeral\"},\"messages\"",
                "\"cache_control\":{\"type\":\"lasting\"},\"messages\"")).getMessage())
                .startsWith("cache_control.type: \"lasting\" is not supported");
    }

    @Test
    void badMarkersAreRefusedNamingTheirPlace() {
        ApiError type = refusal("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"persistent"}}]}]}""");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.getMessage()).startsWith("messages.0.content.0.cache_control.type: \"persistent\" is not supported");
        assertThat(OpenAiErrorBody.json(type.type(), type.getMessage()))
                .contains("\"param\":\"messages[0].content[0].cache_control.type\"").contains("\"code\":\"unsupported_value\"");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"x","cache_control":{"type":"ephemeral","ttl":"2h"}}]}""")
                .getMessage()).startsWith("messages.0.cache_control.ttl: \"2h\" is not supported").contains("5m or 1h");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"x","cache_control":{"type":"ephemeral","ttl":300}}]}""")
                .getMessage()).startsWith("messages.0.cache_control.ttl: expected");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"x","cache_control":"ephemeral"}]}""")
                .getMessage()).startsWith("messages.0.cache_control: expected an object");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"x","cache_control":{"type":"ephemeral","scope":"org"}}]}""")
                .getMessage()).startsWith("messages.0.cache_control.scope: not supported");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[
                  {"type":"function","function":{"name":"b"},"cache_control":{}}]}""")
                .getMessage()).startsWith("tools.0.cache_control.type: expected");
        assertThat(refusal("""
                {"model":"m","messages":[{"role":"user","content":"","cache_control":{"type":"ephemeral"}}]}""")
                .getMessage()).startsWith("messages.0.cache_control: expected a message with content");
    }

    @Test
    void aFifthBreakpointIsRefusedNotTrimmed() {
        String four = """
                {"model":"m","messages":[
                  {"role":"system","content":"s","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":"1","cache_control":{"type":"ephemeral"}},
                  {"role":"assistant","content":"2","cache_control":{"type":"ephemeral"}},
                  {"role":"user","content":"3","cache_control":{"type":"ephemeral"}}%s]}""";
        assertThat(ChatCompletionsRequest.translate(four.formatted("").getBytes(StandardCharsets.UTF_8)).canonical()).isNotEmpty();
        ApiError fifth = refusal(four.formatted(",{\"role\":\"assistant\",\"content\":\"4\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"5\",\"cache_control\":{\"type\":\"ephemeral\"}}]}"));
        assertThat(fifth.getMessage()).startsWith("messages.5.content.0.cache_control: a fifth cache breakpoint is not supported")
                .contains("at most 4");
        assertThat(OpenAiErrorBody.json(fifth.type(), fifth.getMessage())).contains("\"param\":\"messages[5].content[0].cache_control\"");
    }
}
