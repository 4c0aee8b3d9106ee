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
        // The recorded request carries a seed, which is refused now (refusalsNameTheFieldTheyRefuse); the rest translates.
        String recorded = new String(fixture("chat-request-tools.json"), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(recorded).endsWith(",\"seed\":7}");
        ChatCompletionsRequest.Translated t = ChatCompletionsRequest.translate(recorded.replace(",\"seed\":7}", "}").getBytes());
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
                "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"c\"}}",
                "\"logprobs\":true", "\"top_logprobs\":3", "\"temperature\":\"hot\"", "\"seed\":7"}) {
            String body = "{\"model\":\"m\"," + messages + "," + field + "}";
            assertThatThrownBy(() -> ChatCompletionsRequest.translate(body.getBytes())).as(field)
                    .isInstanceOf(ApiError.class).hasMessageContaining(field.substring(1, field.indexOf('"', 1)))
                    .extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        }
        for (String field : new String[] {"\"response_format\":{\"type\":\"text\"}", "\"response_format\":null",
                "\"logprobs\":false", "\"top_logprobs\":0", "\"seed\":null", "\"temperature\":null"}) {
            String body = "{\"model\":\"m\"," + messages + "," + field + "}";
            assertThat(ChatCompletionsRequest.translate(body.getBytes()).model()).as(field).isEqualTo("m");
        }
    }

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"list three colours\"}]";

    private static ApiError refusal(String body) {
        try {
            ChatCompletionsRequest.translate(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (ApiError e) {
            assertThat(e.status()).as(body).isEqualTo(400);
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    private static String with(String field) {
        return "{\"model\":\"m\"," + MESSAGES + "," + field + "}";
    }

    @Test
    void refusalsNameTheFieldTheyRefuse() {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("\"reasoning_effort\":\"extreme\"", "reasoning_effort: \"extreme\" is not supported");
        refused.put("\"functions\":[{\"name\":\"f\",\"parameters\":{}}]", "functions: not supported by this gateway (the legacy");
        refused.put("\"function_call\":\"auto\"", "function_call: not supported");
        refused.put("\"modalities\":[\"text\",\"audio\"]", "modalities: \"audio\" is not supported");
        refused.put("\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}", "audio: not supported");
        refused.put("\"seed\":42", "seed: not supported by this gateway (Anthropic models have no seed");
        refused.put("\"logit_bias\":{\"50256\":-100}", "logit_bias: {\"50256\":-100} is not supported");
        refused.put("\"frequency_penalty\":0.5", "frequency_penalty: 0.5 is not supported");
        refused.put("\"presence_penalty\":-1", "presence_penalty: -1 is not supported");
        refused.put("\"verbosity\":\"low\"", "verbosity: \"low\" is not supported");
        refused.put("\"web_search_options\":{}", "web_search_options: not supported");
        refused.put("\"n\":2", "n: 2 is not supported");
        refused.forEach((field, message) -> assertThat(refusal(with(field))).as(field).hasMessageStartingWith(message));
        // A legacy function call in the history is refused too, not dropped from the conversation.
        String history = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\","
                + "\"content\":null,\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}},{\"role\":\"user\",\"content\":\"go\"}]}";
        assertThat(refusal(history)).hasMessageStartingWith("messages.1.function_call: not supported");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheField() {
        Map<String, String> wrong = new java.util.LinkedHashMap<>();
        wrong.put("\"tools\":\"x\"", "tools: expected an array of tools");
        wrong.put("\"stop\":5", "stop: expected a string or an array of strings, got 5");
        wrong.put("\"stop\":[\"END\",7]", "stop: expected a string or an array of strings");
        wrong.put("\"stream\":\"yes\"", "stream: expected a boolean, got \"yes\"");
        wrong.put("\"n\":1.5", "n: expected an integer, got 1.5");
        wrong.put("\"stream_options\":true", "stream_options: expected an object");
        wrong.put("\"stream_options\":{\"include_usage\":\"yes\"}", "stream_options.include_usage: expected a boolean");
        wrong.put("\"logprobs\":\"yes\"", "logprobs: expected a boolean");
        wrong.put("\"user\":5", "user: expected a string");
        wrong.put("\"max_tokens\":\"10\"", "max_tokens: expected an integer");
        wrong.put("\"top_p\":\"high\"", "top_p: expected a number");
        wrong.put("\"parallel_tool_calls\":\"no\"", "parallel_tool_calls: expected a boolean");
        wrong.put("\"modalities\":\"text\"", "modalities: expected an array");
        wrong.put("\"prediction\":\"the old file\"", "prediction: expected an object");
        wrong.put("\"seed\":\"x\"", "seed: expected an integer");
        wrong.put("\"reasoning_effort\":3", "reasoning_effort: expected a string");
        wrong.forEach((field, message) -> assertThat(refusal(with(field))).as(field).hasMessageStartingWith(message));
        assertThat(refusal("{\"model\":\"m\",\"messages\":\"hi\"}")).hasMessageStartingWith("messages: expected a non-empty array");
    }

    @Test
    void aJsonSchemaResponseFormatBecomesClaudesStructuredOutput() throws Exception {
        // What the Vercel AI SDK's generateObject and LangChain's withStructuredOutput send.
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],"
                + "\"additionalProperties\":false}";
        JsonNode canonical = Json.MAPPER.readTree(ChatCompletionsRequest.translate(with("\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"weather\",\"strict\":true,\"description\":\"d\",\"schema\":" + schema + "}}").getBytes()).canonical());
        assertThat(canonical.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        assertThat(canonical.at("/output_config/format/schema")).isEqualTo(Json.MAPPER.readTree(schema));
        assertThat(canonical.has("response_format")).isFalse();

        assertThat(refusal(with("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"has space\",\"schema\":{}}}")))
                .hasMessageStartingWith("response_format.json_schema.name: expected a name of 1 to 64 letters");
        assertThat(refusal(with("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\",\"schema\":[]}}")))
                .hasMessageStartingWith("response_format.json_schema.schema: expected a JSON schema object");
        assertThat(refusal(with("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\",\"schema\":{},\"x\":1}}")))
                .hasMessageStartingWith("response_format.json_schema.x: not supported");
        assertThat(refusal(with("\"response_format\":{\"type\":\"json_schema\"}")))
                .hasMessageStartingWith("response_format.json_schema: expected an object");
    }

    @Test
    void aStringResponseFormatIsToldToBeAnObject() {
        ApiError e = refusal(with("\"response_format\":\"text\""));
        assertThat(e).hasMessage("response_format: expected an object such as {\"type\":\"text\"}, got \"text\"");
        assertThat(refusal(with("\"response_format\":{\"type\":\"json_object\"}")))
                .hasMessageStartingWith("response_format: \"json_object\" is not supported by this gateway (expected: {\"type\":\"text\"}");
    }

    @Test
    void aFieldGivenTwiceIsRefusedAtEveryLevelTheTranslationReads() {
        String twice = "{\"model\":\"claude-haiku-4-5\"," + MESSAGES + ",\"model\":\"claude-opus-4-1\"}";
        assertThat(refusal(twice)).hasMessage("model: given twice (expected: each field once)");
        assertThat(refusal(with("\"stream\":false,\"stream\":true"))).hasMessageStartingWith("stream: given twice");
        String inMessage = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"content\":\"b\"}]}";
        assertThat(refusal(inMessage)).hasMessageStartingWith("messages.0.content: given twice");
        String inTool = with("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"name\":\"b\"}}]");
        assertThat(refusal(inTool)).hasMessageStartingWith("tools.0.function.name: given twice");
        StringBuilder many = new StringBuilder("{\"model\":\"m\"," + MESSAGES);
        for (int i = 0; i < 20_000; i++) {
            many.append(",\"x").append(i).append("\":0");
        }
        assertThat(ChatCompletionsRequest.translate(many.append('}').toString().getBytes()).model()).as("many distinct fields").isEqualTo("m");
        assertThat(refusal(many.insert(many.length() - 1, ",\"x7\":1").toString())).hasMessageStartingWith("x7: given twice");
    }

    @Test
    void jsonNestedTooDeepSaysSo() {
        String deep = "[".repeat(300) + "]".repeat(300);
        ApiError e = refusal(with("\"x\":" + deep));
        assertThat(e.getMessage()).contains("nested deeper than 256 levels").doesNotContain("expected a JSON object");
        assertThat(refusal("[1]")).hasMessage("request body: expected a JSON object");
    }

    @Test
    void whatChangesNothingTheCallerCanObserveTranslatesExactlyAsWithoutIt() {
        byte[] plain = ChatCompletionsRequest.translate(with("\"max_tokens\":50").getBytes()).canonical();
        for (String field : new String[] {"\"reasoning_effort\":\"none\"", "\"reasoning_effort\":\"minimal\"", "\"modalities\":[\"text\"]",
                "\"prediction\":{\"type\":\"content\",\"content\":\"old text\"}", "\"store\":true",
                "\"metadata\":{\"k\":\"v\"}", "\"service_tier\":\"auto\"", "\"seed\":null", "\"functions\":null",
                "\"frequency_penalty\":0", "\"presence_penalty\":0.0", "\"logit_bias\":{}", "\"verbosity\":\"medium\"",
                "\"prompt_cache_key\":\"k\"", "\"safety_identifier\":\"u\"", "\"audio\":null", "\"n\":1"}) {
            byte[] canonical = ChatCompletionsRequest.translate(with("\"max_tokens\":50," + field).getBytes()).canonical();
            assertThat(new String(canonical)).as(field).isEqualTo(new String(plain));
        }
    }
}
