package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The front door copies the client's escaped bytes for string contents and tool definitions, short spans through the
 * generator and long ones straight into the reused output. Whatever the strings hold, the canonical body must decode to
 * the values the chat request decodes to.
 */
class FrontSpanCopyTest {
    private static final List<String> ESCAPED = List.of(
            "plain",
            "quote \\\" backslash \\\\ slash \\/ controls \\b\\f\\n\\r\\t \\u0001\\u001f",
            "raw non-ASCII: héllo 日本語 ✓ and a surrogate pair 😀",
            "escaped: h\\u00e9llo \\u65e5\\u672c \\ud83d\\ude00 \\uD83D\\uDE00",
            "long: " + "x\\\"y\\\\z é 😀 \\ud83d\\ude00 \\n".repeat(80),
            "very long: " + "abcdefgh\\n".repeat(9_000));

    @Test
    void stringContentsAndToolsDecodeToWhatTheClientSent() throws Exception {
        for (String s : ESCAPED) {
            String chat = "{\"model\":\"claude-sonnet-4-5\",\"messages\":["
                    + "{\"role\":\"system\",\"content\":\"" + s + "\"},"
                    + "{\"role\":\"developer\",\"content\":\"\"},"
                    + "{\"role\":\"user\",\"content\":\"" + s + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"" + s + "\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"read\",\"arguments\":\"{\\\"p\\\":\\\"" + "\\\\u00e9 ok" + "\\\"}\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"" + s + "\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + s + "\"},"
                    + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}],"
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read\",\"description\":\"" + s + "\","
                    + "\"parameters\":{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\",\"description\":\"" + s
                    + "\"}}}}}]}";
            byte[] in = chat.getBytes(StandardCharsets.UTF_8);
            JsonNode req = Json.MAPPER.readTree(in);
            byte[] canonical = ChatCompletionsRequest.translate(in).canonical();
            JsonNode a = Json.MAPPER.readTree(canonical);
            JsonNode text = req.at("/messages/0/content");

            assertThat(a.at("/system/0/text")).isEqualTo(text);
            assertThat(a.at("/system/1/text").asText()).isEmpty();
            JsonNode m = a.get("messages");
            assertThat(m).hasSize(3);
            assertThat(m.at("/0/content/0/text")).isEqualTo(text);
            assertThat(m.at("/1/content/0/text")).isEqualTo(text);
            assertThat(m.at("/1/content/1/type").asText()).isEqualTo("tool_use");
            assertThat(m.at("/1/content/1/input/p").asText()).isEqualTo("é ok");
            assertThat(m.at("/2/content/0/type").asText()).isEqualTo("tool_result");
            assertThat(m.at("/2/content/0/content")).isEqualTo(text);
            assertThat(m.at("/2/content/1/text")).isEqualTo(text);
            assertThat(m.at("/2/content/2/source/data").asText()).isEqualTo("iVBORw0KGgo=");
            assertThat(a.at("/tools/0/description")).isEqualTo(text);
            assertThat(a.at("/tools/0/input_schema")).isEqualTo(req.at("/tools/0/function/parameters"));
            // Copied, not re-encoded: the client's escapes are in the canonical body as they were sent.
            assertThat(new String(canonical, StandardCharsets.UTF_8)).contains("\"text\":\"" + s + "\"");
        }
    }
}
