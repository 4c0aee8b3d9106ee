package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages translated by byte spans ({@link MessageSpans}) decode to exactly what the tree translation of the same
 * messages gives (the translator before spans, kept as the fallback): every shape below, through both output kinds.
 */
class MessageSpansTest {
    private static final String HARD = "q \\\" b \\\\ s \\/ c \\b\\f\\n\\r\\t \\u0001 h\\u00e9llo héllo 日本 😀 \\ud83d\\ude00";
    private static final String LONG = ("long " + HARD + " ").repeat(40);

    private static final List<String> MESSAGES = List.of(
            // plain strings, empty strings, absent content
            "{\"role\":\"user\",\"content\":\"" + HARD + "\"}",
            "{\"role\":\"assistant\",\"content\":\"" + LONG + "\"}",
            "{\"role\":\"user\",\"content\":\"\"}",
            "{\"role\":\"assistant\"}",
            // text blocks joined, with empty and absent texts where the separators go
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + HARD + "\"},{\"type\":\"text\",\"text\":\"" + LONG + "\"}]}",
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"\"},{\"type\":\"text\"},{\"type\":\"text\",\"text\":\"a\"},"
                    + "{\"type\":\"text\",\"text\":\"\"},{\"type\":\"text\",\"text\":\"b\"}]}",
            "{\"role\":\"user\",\"content\":[]}",
            // images: base64 (escaped slashes in the data), url, absent media type, with text
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + HARD + "\"},{\"type\":\"image\",\"source\":"
                    + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBO\\/Rw0+KGgo=\"}},"
                    + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a\\u0062.png\"}},"
                    + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"AAAA\"}},{\"type\":\"thinking\",\"thinking\":\"t\"}]}",
            // tool results: string, blocks (texts joined without a separator, images moved after), error, null, absent
            "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_\\u0031\",\"content\":\"" + LONG + "\"},"
                    + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\",\"is_error\":true,\"content\":[{\"type\":\"text\",\"text\":\""
                    + HARD + "\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"/9j/\"}},"
                    + "{\"type\":\"text\",\"text\":\"x\"}]},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_3\",\"is_error\":false,"
                    + "\"content\":null},{\"type\":\"tool_result\",\"is_error\":true},{\"type\":\"text\",\"text\":\"after\"}]}",
            "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"only results\"}]}",
            // assistant: text + tool calls (inputs nested, escaped, null, absent, a string), only calls, empty text + calls
            "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"x\",\"signature\":\"s\"},{\"type\":\"text\",\"text\":\""
                    + HARD + "\"},{\"type\":\"text\",\"text\":\"" + LONG + "\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\","
                    + "\"input\":{ \"path\" : \"/tmp/\\u00e9\", \"n\": [1, 2.50, {\"x\": null}] }},{\"type\":\"tool_use\",\"id\":\"toolu_2\","
                    + "\"name\":\"Nothing\",\"input\":null},{\"type\":\"tool_use\",\"id\":\"toolu_3\",\"name\":\"Absent\"},"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_4\",\"name\":\"Str\",\"input\":\"s\"}]}",
            "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{}}]}",
            "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"\"},{\"type\":\"tool_use\",\"id\":\"i\",\"name\":\"n\",\"input\":{}}]}",
            // shapes the span path leaves to the tree
            "{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}",
            "{\"role\":\"us\\u0065r\",\"content\":\"escaped role\"}",
            "{\"role\":\"user\",\"content\":[{\"type\":\"t\\u0065xt\",\"text\":\"escaped type\"}]}",
            "{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"title\":\"d.pdf\",\"source\":{\"type\":\"base64\","
                    + "\"media_type\":\"application/pdf\",\"data\":\"JVBE\"}},{\"type\":\"document\",\"source\":{\"type\":\"text\",\"data\":\"plain\"}}]}",
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}",
            "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"is_error\":\"true\",\"content\":\"e\"}]}",
            "{\"role\":\"user\",\"content\":[\"not a block\"]}",
            "{\"role\":\"user\",\"content\":null}",
            "{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"an object\"}}");

    @Test
    void everyShapeDecodesToWhatTheTreeTranslationGives() throws Exception {
        for (String m : MESSAGES) {
            assertSameTranslation("[" + m + "]");
        }
        assertSameTranslation("[" + String.join(",", MESSAGES) + "]");
    }

    @Test
    void longTextsAreTheClientsBytes() throws Exception {
        byte[] out = spans("[" + MESSAGES.get(1) + "," + MESSAGES.get(8) + "]", true);
        assertThat(new String(out, StandardCharsets.UTF_8)).contains("\"" + LONG + "\"");
    }

    @Test
    void sentBackThinkingTextDecodesToWhatTheTreeGivesAndIsTheReasoningContent() throws Exception {
        String loop = "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"" + HARD + "\",\"signature\":\"s\"},"
                + "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"s\"},{\"type\":\"redacted_thinking\",\"data\":\"x\"},"
                + "{\"type\":\"thinking\",\"thinking\":\"" + LONG + "\",\"signature\":\"s\"},{\"type\":\"tool_use\",\"id\":\"c\",\"name\":\"n\",\"input\":{}}]}";
        String odd = "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":7},{\"type\":\"text\",\"text\":\"a\"}]}";
        for (String m : List.of(loop, odd, MESSAGES.get(10))) {
            JsonNode tree = Json.MAPPER.readTree(spans("[" + m + "]", false, true));
            assertThat(Json.MAPPER.readTree(spans("[" + m + "]", true, true))).as(m).isEqualTo(tree);
            assertThat(Json.MAPPER.readTree(plain("[" + m + "]", true))).as(m).isEqualTo(tree);
        }
        JsonNode sent = Json.MAPPER.readTree(spans("[" + loop + "]", true, true));
        assertThat(sent.at("/0/reasoning_content").asText()).isEqualTo(Json.MAPPER.readTree("\"" + HARD + "\"").asText() + "\n\n"
                + Json.MAPPER.readTree("\"" + LONG + "\"").asText());
        assertThat(Json.MAPPER.readTree(spans("[" + loop + "]", true, false)).get(0).has("reasoning_content"))
                .as("not asked for: left out, as before").isFalse();
    }

    @Test
    void badRolesAreRefusedAsBefore() {
        for (String m : List.of("[{\"role\":\"robot\",\"content\":\"x\"}]", "[{\"content\":\"x\"}]", "[7]")) {
            assertThatThrownBy(() -> spans(m, true)).as(m).isInstanceOf(ApiError.class)
                    .hasMessageContaining("expected: user or assistant");
        }
    }

    private static void assertSameTranslation(String messages) throws Exception {
        JsonNode tree = Json.MAPPER.readTree(spans(messages, false));
        JsonNode bySpans = Json.MAPPER.readTree(spans(messages, true));
        assertThat(bySpans).as(messages).isEqualTo(tree);
        assertThat(Json.MAPPER.readTree(plain(messages))).as(messages).isEqualTo(tree);
    }

    /** Translated into the reused output (long spans appended past the generator). */
    private static byte[] spans(String messages, boolean bySpans) throws Exception {
        return spans(messages, bySpans, false);
    }

    private static byte[] spans(String messages, boolean bySpans, boolean sendBack) throws Exception {
        byte[] json = ("{\"messages\":" + messages + "}").getBytes(StandardCharsets.UTF_8);
        TopLevelFields top = TopLevelFields.scan(json, json.length);
        SpanOutput out = SpanOutput.take(json.length);
        try (JsonGenerator g = out.generator()) {
            ChatMessagesWriter.write(g, null, json, top.find("messages"), bySpans, sendBack);
        }
        return out.toArray();
    }

    /** Translated by spans into any other generator (every span through the generator's own buffer). */
    private static byte[] plain(String messages) throws Exception {
        return plain(messages, false);
    }

    private static byte[] plain(String messages, boolean sendBack) throws Exception {
        byte[] json = ("{\"messages\":" + messages + "}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            ChatMessagesWriter.write(g, null, json, TopLevelFields.scan(json, json.length).find("messages"), true, sendBack);
        }
        return out.toByteArray();
    }

}
