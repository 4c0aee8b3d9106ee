package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic → chat-completions translation copies the client's escaped bytes for tool definitions, system text
 * and (through {@link SpanOutput}) long spans past the generator's buffer. Whatever the bytes hold (escapes, raw and
 * escaped non-ASCII, surrogate pairs, empty strings, spans shorter and longer than {@link RawJson#INLINE}), the
 * decoded result must be what decoding the request and translating its values would give.
 */
class SpanCopyTest {
    private static final OpenAiTarget OPENAI = new OpenAiTarget(URI.create("https://api.openai.com"),
            OpenAiTarget.Flavor.OPENAI, "gpt-4.1", "sk", null, null);

    /** Escaped JSON string contents (as they sit between the quotes in a request), each a different hard case. */
    private static final List<String> ESCAPED = List.of(
            "plain",
            "",
            "quote \\\" backslash \\\\ slash \\/ controls \\b\\f\\n\\r\\t \\u0001\\u001f",
            "raw non-ASCII: héllo 日本語 ✓",
            "escaped non-ASCII: h\\u00e9llo \\u65e5\\u672c \\u2713",
            "surrogate pair raw 😀 and escaped \\ud83d\\ude00 and mixed \\uD83D\\uDE00",
            "long: " + "x\\\"y\\\\z é 😀 \\ud83d\\ude00 \\n".repeat(80),
            "very long, past the reused output's first array: " + "abcdefgh\\n".repeat(9_000));

    private static String request(String systemJson) {
        StringBuilder tools = new StringBuilder();
        for (int i = 0; i < ESCAPED.size(); i++) {
            tools.append(i == 0 ? "" : ",").append("{\"name\":\"tool_").append(i).append("\",\"description\":\"")
                    .append(ESCAPED.get(i)).append("\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"p\":")
                    .append("{\"type\":\"string\",\"description\":\"").append(ESCAPED.get(i)).append("\"}}},")
                    .append("\"cache_control\":{\"type\":\"ephemeral\"}}");
        }
        String text = ESCAPED.get(2);
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":" + systemJson + ",\"messages\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"" + ESCAPED.get(5) + "\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"tool_1\",\"input\":{\"p\":\"" + ESCAPED.get(3) + "\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\""
                + ESCAPED.get(4) + "\"},{\"type\":\"text\",\"text\":\"\"}]}],"
                + "\"tools\":[" + tools + "]}";
    }

    private static String systemBlocks() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ESCAPED.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"text\":\"").append(ESCAPED.get(i))
                    .append("\",\"cache_control\":{\"type\":\"ephemeral\"}}");
        }
        return sb.append(",{\"type\":\"image\",\"source\":{}}]").toString();
    }

    @Test
    void systemBlocksToolsAndContentsDecodeToWhatTheRequestSays() throws Exception {
        for (String system : List.of(systemBlocks(), "\"" + ESCAPED.get(6) + "\"", "\"" + ESCAPED.get(7) + "\"")) {
            byte[] in = request(system).getBytes(StandardCharsets.UTF_8);
            JsonNode req = Json.MAPPER.readTree(in);
            byte[] outBytes = ChatRequestWriter.write(in, OPENAI, "gpt-4.1", false);
            JsonNode out = Json.MAPPER.readTree(outBytes);

            assertThat(out.at("/messages/0/role").asText()).isEqualTo("system");
            assertThat(out.at("/messages/0/content").asText()).isEqualTo(ChatMessagesWriter.text(req.get("system")));
            ArrayNode tools = (ArrayNode) out.get("tools");
            assertThat(tools).hasSize(ESCAPED.size());
            for (int i = 0; i < ESCAPED.size(); i++) {
                JsonNode tool = req.at("/tools/" + i);
                assertThat(tools.get(i).at("/function/name")).isEqualTo(tool.get("name"));
                assertThat(tools.get(i).at("/function/description")).isEqualTo(tool.get("description"));
                assertThat(tools.get(i).at("/function/parameters")).isEqualTo(tool.get("input_schema"));
            }
            assertThat(out.at("/messages/1/content/0/text")).isEqualTo(req.at("/messages/0/content/0/text"));
            assertThat(out.at("/messages/1/content/1/image_url/url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
            assertThat(out.at("/messages/2/content")).isEqualTo(req.at("/messages/1/content/0/text"));
            assertThat(Json.MAPPER.readTree(out.at("/messages/2/tool_calls/0/function/arguments").asText()))
                    .isEqualTo(req.at("/messages/1/content/1/input"));
            assertThat(out.at("/messages/3/role").asText()).isEqualTo("tool");
            assertThat(out.at("/messages/3/content")).isEqualTo(req.at("/messages/2/content/0/content"));
            assertThat(out.at("/messages/4/content").asText()).isEmpty();
            // The copied parts are the client's bytes, not a re-encoding of them.
            assertThat(new String(outBytes, StandardCharsets.UTF_8)).contains(ESCAPED.get(7)).contains(ESCAPED.get(5));
        }
    }

    @Test
    void writingIntoAnyOtherGeneratorGivesTheSameBytes() throws Exception {
        byte[] in = request(systemBlocks()).getBytes(StandardCharsets.UTF_8);
        TopLevelFields top = TopLevelFields.scan(in, in.length);
        SystemText system = SystemText.of(in, top.find("system"));
        RawJson tools = JsonSpans.raw(in, top.find("tools"));

        SpanOutput span = SpanOutput.take(16);
        try (JsonGenerator g = span.generator()) {
            write(g, system, tools);
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(plain)) {
            write(g, system, tools);
        }
        assertThat(span.toArray()).isEqualTo(plain.toByteArray());
        assertThat(Json.MAPPER.readTree(plain.toByteArray()).get("tools")).isEqualTo(Json.MAPPER.readTree(in).get("tools"));
    }

    private static void write(JsonGenerator g, SystemText system, RawJson tools) throws Exception {
        g.writeStartObject();
        g.writeStringField("a", "x");
        g.writeFieldName("system");
        system.writeValue(g);
        g.writeFieldName("short");
        new RawJson("[\"s\"]".getBytes(StandardCharsets.UTF_8), 0, 5).writeValue(g);
        g.writeFieldName("tools");
        tools.writeValue(g);
        g.writeArrayFieldStart("after");
        tools.writeValue(g);
        g.writeNumber(1);
        g.writeEndArray();
        g.writeEndObject();
    }

    @Test
    void anEditedBodyIsTranslatedFromItsEdits() throws Exception {
        RequestBody body = RequestBody.of(request("\"s\""));
        int at = new String(body.array(), StandardCharsets.UTF_8).indexOf("\"s\"");
        body.replace(at, at + 3, "\"edited \\u00e9\"".getBytes(StandardCharsets.UTF_8), "test");
        JsonNode out = Json.MAPPER.readTree(OpenAiRequests.build(OPENAI, Operation.MESSAGES, body, false).body().getBytes());
        assertThat(out.at("/messages/0/content").asText()).isEqualTo("edited é");
    }

    @Test
    void theReusedOutputStartsEmptyAndLetsAGrownArrayGo() {
        SpanOutput out = SpanOutput.take(10);
        out.write(new byte[SpanOutput.KEEP + 1], 0, SpanOutput.KEEP + 1);
        assertThat(out.toArray()).hasSize(SpanOutput.KEEP + 1);
        SpanOutput again = SpanOutput.take(10);
        assertThat(again).isSameAs(out);
        again.write('x');
        assertThat(again.toArray()).containsExactly('x');
        assertThat(SpanOutput.take(10).toBuffer().length()).isZero();
    }

    @Test
    void emptyAndAbsentSystemTextSendNoSystemMessage() throws Exception {
        for (String system : List.of("\"\"", "[]", "[{\"type\":\"image\",\"source\":{}}]", "null")) {
            byte[] in = ("{\"model\":\"m\",\"max_tokens\":1,\"system\":" + system
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8);
            JsonNode out = Json.MAPPER.readTree(ChatRequestWriter.write(in, OPENAI, "gpt-4.1", false));
            assertThat(out.get("messages")).as(system).hasSize(1);
            assertThat(out.at("/messages/0/role").asText()).isEqualTo("user");
        }
        ObjectNode one = Json.MAPPER.createObjectNode();
        one.putArray("system").addObject().put("type", "text").put("text", "only \"one\"");
        one.put("model", "m").putArray("messages").addObject().put("role", "user").put("content", "hi");
        JsonNode out = Json.MAPPER.readTree(ChatRequestWriter.write(Json.MAPPER.writeValueAsBytes(one), OPENAI, "gpt-4.1", false));
        assertThat(out.at("/messages/0/content").asText()).isEqualTo("only \"one\"");
    }
}
