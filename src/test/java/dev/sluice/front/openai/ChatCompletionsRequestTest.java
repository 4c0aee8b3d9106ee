package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCompletionsRequestTest {
    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = ChatCompletionsRequestTest.class.getResourceAsStream("/providers/openai/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void toolConversationBecomesAlternatingAnthropicTurns() throws Exception {
        ChatCompletionsRequest.Translated t = ChatCompletionsRequest.translate(fixture("chat-request-tools.json"));
        assertThat(t.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(t.stream()).isTrue();
        assertThat(t.includeUsage()).isTrue();
        JsonNode a = Json.MAPPER.readTree(t.canonical());
        assertThat(a.get("max_tokens").asInt()).isEqualTo(1024);
        assertThat(a.get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(a.get("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(a.at("/system/0/text").asText()).isEqualTo("You are a coding assistant.");
        assertThat(a.at("/metadata/user_id").asText()).isEqualTo("alice@example.com");
        assertThat(a.at("/tool_choice/type").asText()).isEqualTo("any");
        assertThat(a.at("/tool_choice/disable_parallel_tool_use").asBoolean()).isTrue();
        assertThat(a.at("/tools/0/input_schema/required/0").asText()).isEqualTo("path");
        JsonNode m = a.get("messages");
        assertThat(m).hasSize(3);
        assertThat(m.at("/0/content/1/source/type").asText()).isEqualTo("base64");
        assertThat(m.at("/0/content/1/source/media_type").asText()).isEqualTo("image/jpeg");
        assertThat(m.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(m.at("/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(m.at("/1/content/1/input/path").asText()).isEqualTo("b.txt");
        assertThat(m.at("/2/role").asText()).isEqualTo("user");
        assertThat(m.at("/2/content/0/tool_use_id").asText()).isEqualTo("call_1");
        assertThat(m.at("/2/content/1/content").asText()).isEqualTo("beta");
        assertThat(m.at("/2/content/2/text").asText()).isEqualTo("Compare them.");
        assertThat(a.has("seed")).isFalse();
    }

    @Test
    void whatTheOfficialSdkSendsTranslates() throws Exception {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("claude-haiku-4-5")
                .addSystemMessage("Be terse.")
                .addUserMessage("Weather in Paris?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                                .build()).build()).build())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        byte[] body = ObjectMappers.jsonMapper().writeValueAsBytes(params._body());
        ChatCompletionsRequest.Translated t = ChatCompletionsRequest.translate(body);
        JsonNode a = Json.MAPPER.readTree(t.canonical());
        assertThat(a.get("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(a.get("max_tokens").asInt()).isEqualTo(ChatCompletionsRequest.DEFAULT_MAX_TOKENS);
        assertThat(a.at("/tools/0/name").asText()).isEqualTo("get_weather");
        assertThat(a.at("/tools/0/input_schema/properties/city/type").asText()).isEqualTo("string");
        assertThat(a.at("/messages/0/content/0/text").asText()).isEqualTo("Weather in Paris?");
        assertThat(t.stream()).isFalse();
        assertThat(t.includeUsage()).isFalse(); // include_usage only means something on a stream
    }

    @Test
    void badRequestsAreClear400s() {
        for (String body : new String[] {"[]", "{\"messages\":[]}", "{\"model\":\"m\",\"messages\":[]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"only system\"}]}",
                "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"}) {
            assertThatThrownBy(() -> ChatCompletionsRequest.translate(body.getBytes())).as(body)
                    .isInstanceOf(ApiError.class).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        }
    }

    @Test
    void whatTheAnswerCouldNotHonourIsRefusedNotDropped() throws Exception {
        String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"list three colours\"}]";
        for (String field : new String[] {"\"response_format\":{\"type\":\"json_object\"}",
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"c\",\"schema\":{}}}",
                "\"logprobs\":true", "\"top_logprobs\":3", "\"temperature\":\"hot\""}) {
            String body = "{\"model\":\"m\"," + messages + "," + field + "}";
            assertThatThrownBy(() -> ChatCompletionsRequest.translate(body.getBytes())).as(field)
                    .isInstanceOf(ApiError.class).hasMessageContaining(field.substring(1, field.indexOf('"', 1)))
                    .extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        }
        for (String field : new String[] {"\"response_format\":{\"type\":\"text\"}", "\"response_format\":null",
                "\"logprobs\":false", "\"top_logprobs\":0", "\"seed\":7", "\"temperature\":null"}) {
            String body = "{\"model\":\"m\"," + messages + "," + field + "}";
            assertThat(ChatCompletionsRequest.translate(body.getBytes()).model()).as(field).isEqualTo("m");
        }
    }
}
