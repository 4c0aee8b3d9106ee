package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Chat-completions bodies an attacker (or a broken client) sends: within the body cap, but built to cost the
 * translation far more than their size, or of the wrong type where the translation used to guess.
 */
class HostileChatRequestTest {
    private static ApiError refusal(String body) {
        try {
            ChatCompletionsRequest.translate(body.getBytes(StandardCharsets.UTF_8));
        } catch (ApiError e) {
            return e;
        }
        throw new AssertionError("translated: " + body.substring(0, Math.min(200, body.length())));
    }

    private static String repeat(String item, int n) {
        StringBuilder sb = new StringBuilder(item.length() * n + n);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(item);
        }
        return sb.toString();
    }

    @Test
    void manyTinyContentPartsAreA400NotAHeapOfNodes() {
        // 300,000 one-letter parts: 8 MB on the wire, hundreds of MB as trees (the gateway ran out of heap).
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
                + repeat("{\"type\":\"text\",\"text\":\"p\"}", 300_000) + "]}]}";
        ApiError e = refusal(body);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("request body: more than 250000 JSON values");
    }

    @Test
    void manyToolCallsOrHugeArgumentsAreA400Too() {
        String calls = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":["
                + repeat("{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}", 100_000)
                + "]},{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(refusal(calls).getMessage()).startsWith("request body: more than 250000 JSON values");
        // Each arguments string is one value on the wire and a whole tree once parsed.
        String args = Json.MAPPER.createArrayNode().add("[" + repeat("1", 60_000) + "]").get(0).toString();
        String hidden = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":["
                + repeat("{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":" + args + "}}", 5)
                + "]},{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(refusal(hidden).getMessage()).startsWith("request body: more than 250000 JSON values");
        // A role or an option that is a huge array is no cheaper.
        assertThat(refusal("{\"model\":\"m\",\"stop\":[" + repeat("\"s\"", 300_000) + "],\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}").getMessage()).startsWith("request body: more than 250000 JSON values");
    }

    @Test
    void aLongRealConversationStillTranslates() {
        // 4,000 turns the way Cursor and Codex send them (arrays of one text part, a tool call per assistant turn).
        StringBuilder m = new StringBuilder("{\"model\":\"m\",\"messages\":[");
        for (int i = 0; i < 2_000; i++) {
            m.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"read it\"}]},")
                    .append("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c").append(i)
                    .append("\",\"type\":\"function\",\"function\":{\"name\":\"Read\",\"arguments\":\"{\\\"path\\\":\\\"a.txt\\\"}\"}}]},")
                    .append("{\"role\":\"tool\",\"tool_call_id\":\"c").append(i).append("\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}");
        }
        m.append(",{\"role\":\"user\",\"content\":\"done?\"}]}");
        JsonNode canonical = readTree(ChatCompletionsRequest.translate(m.toString().getBytes()).canonical());
        assertThat(canonical.path("messages").size()).isEqualTo(4_001);
        assertThat(canonical.at("/messages/1/content/0/input/path").asText()).isEqualTo("a.txt");
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedInsteadOfGuessed() {
        String user = "{\"role\":\"user\",\"content\":\"q\"}";
        // Each of these used to translate: an empty text block, no tool calls, a tool without parameters, a dropped image.
        assertThat(refusal("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":{\"a\":1}}]}]}")).hasMessage("messages.0.content.0.text: expected a string");
        assertThat(refusal("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":\"x\"}," + user + "]}")
                .getMessage()).startsWith("messages.0.tool_calls: expected an array of tool calls");
        assertThat(refusal("{\"model\":\"m\",\"messages\":[" + user + "],\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\",\"parameters\":\"x\"}}]}")).hasMessage("tools.0.function.parameters: expected a JSON Schema object");
        assertThat(refusal("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://x/y.png\"}}]}," + user + "]}").getMessage())
                .startsWith("messages.0.content.0: expected a text part");
        assertThat(refusal("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[" + user + "]}").getMessage())
                .as("the field the client sent, which the error's param names").startsWith("max_tokens: 0 ");
        // null still means "absent", as everywhere in OpenAI's API
        ChatCompletionsRequest.translate(("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"a\","
                + "\"tool_calls\":null}," + user + "],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"parameters\":null}}]}").getBytes());
    }

    @Test
    void whatARefusalEchoesIsBounded() {
        String big = "r".repeat(100_000);
        for (String body : new String[] {"{\"model\":\"m\",\"messages\":[{\"role\":\"" + big + "\",\"content\":\"q\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"" + big + "\"}]}]}",
                "{\"model\":\"m\",\"tool_choice\":\"" + big + "\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}"}) {
            assertThat(refusal(body).getMessage().length()).isLessThan(300);
        }
    }

    @Test
    void bedrocksInputTooLongCarriesTheCodeOpenAiClientsTruncateOn() throws Exception {
        byte[] bedrock = dev.sluice.provider.bedrock.BedrockErrors.envelope("invalid_request_error", "Input is too long for requested model.");
        JsonNode e = Json.MAPPER.readTree(OpenAiErrorBody.fromAnthropic(bedrock)).path("error");
        assertThat(e.path("message").asText()).isEqualTo("Input is too long.");
        assertThat(e.path("code").asText()).isEqualTo("context_length_exceeded");
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
