package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.Json;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestWriterTest {
    private static final OpenAiTarget OPENAI = new OpenAiTarget(URI.create("https://api.openai.com"),
            OpenAiTarget.Flavor.OPENAI, "gpt-4.1", "sk-upstream", null, null);

    private static JsonNode translate(String resource, OpenAiTarget target, boolean stream) throws Exception {
        return Json.MAPPER.readTree(ChatRequestWriter.write(OpenAiFixtures.bytes(resource), target, target.model(), stream));
    }

    @Test
    void conversationWithToolsImagesAndResults() throws Exception {
        JsonNode out = translate("/providers/openai/request-conversation.json", OPENAI, true);
        assertThat(out.get("model").asText()).isEqualTo("gpt-4.1");
        assertThat(out.get("max_completion_tokens").asInt()).isEqualTo(2048);
        assertThat(out.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(out.get("stop").toString()).isEqualTo("[\"</done>\",\"STOP\",\"a\",\"b\"]");
        assertThat(out.get("stream").asBoolean()).isTrue();
        assertThat(out.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(out.get("tool_choice").asText()).isEqualTo("required");
        assertThat(out.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(out.get("tools")).hasSize(1); // the server tool stays with Anthropic
        assertThat(out.at("/tools/0/function/name").asText()).isEqualTo("Read");
        assertThat(out.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("file_path");
        assertThat(out.has("thinking")).isFalse();

        JsonNode m = out.get("messages");
        assertThat(m).hasSize(5);
        assertThat(m.get(0).get("role").asText()).isEqualTo("system");
        assertThat(m.get(0).get("content").asText()).isEqualTo("You are a coding agent.\n\nBe brief.");
        assertThat(m.at("/1/content/1/type").asText()).isEqualTo("image_url");
        assertThat(m.at("/1/content/1/image_url/url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(m.at("/2/role").asText()).isEqualTo("assistant");
        assertThat(m.at("/2/content").asText()).isEqualTo("Reading.");
        assertThat(m.at("/2/tool_calls/0/id").asText()).isEqualTo("toolu_01A");
        assertThat(Json.MAPPER.readTree(m.at("/2/tool_calls/0/function/arguments").asText()).get("file_path").asText())
                .isEqualTo("/tmp/a.txt");
        assertThat(m.at("/3/role").asText()).isEqualTo("tool");
        assertThat(m.at("/3/tool_call_id").asText()).isEqualTo("toolu_01A");
        assertThat(m.at("/3/content").asText()).isEqualTo("hello");
        assertThat(m.at("/4/role").asText()).isEqualTo("user");
        assertThat(m.at("/4/content").asText()).isEqualTo("Summarise it.");
        assertThat(out.toString()).doesNotContain("cache_control").doesNotContain("signature");
    }

    @Test
    void structuredOutputBecomesAJsonSchemaResponseFormat() throws Exception {
        // An Anthropic client's output_config.format (the TypeScript SDK's messages.parse, @ai-sdk/anthropic's
        // generateObject) served by an OpenAI model: left out, the answer was free text the client could not parse.
        String canonical = "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                + "\"output_config\":{\"effort\":\"high\",\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}}";
        JsonNode out = Json.MAPPER.readTree(ChatRequestWriter.write(canonical.getBytes(), OPENAI, "gpt-4.1", false));
        assertThat(out.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(out.at("/response_format/json_schema/name").asText()).isEqualTo("output");
        assertThat(out.at("/response_format/json_schema/schema/required/0").asText()).isEqualTo("city");
        assertThat(out.has("output_config")).isFalse();

        String plain = canonical.replace("\"format\"", "\"other\"");
        assertThat(Json.MAPPER.readTree(ChatRequestWriter.write(plain.getBytes(), OPENAI, "gpt-4.1", false)).has("response_format")).isFalse();
    }

    @Test
    void claudeCodesRealRequestTranslates() throws Exception {
        JsonNode in = Json.MAPPER.readTree(getClass().getResourceAsStream("/demo/claude-code-request.json"));
        OpenAiTarget vllm = new OpenAiTarget(URI.create("http://127.0.0.1:8000"), OpenAiTarget.Flavor.COMPATIBLE,
                "Qwen/Qwen3-Coder-30B-A3B-Instruct", null, null, null);
        JsonNode out = Json.MAPPER.readTree(ChatRequestWriter.write(Json.MAPPER.writeValueAsBytes(in), vllm, vllm.model(), false));
        assertThat(out.get("max_tokens").asInt()).isEqualTo(in.get("max_tokens").asInt());
        assertThat(out.get("tools").size()).isEqualTo(in.get("tools").size());
        for (int i = 0; i < in.get("tools").size(); i++) {
            assertThat(out.at("/tools/" + i + "/function/parameters")).isEqualTo(in.at("/tools/" + i + "/input_schema"));
        }
        assertThat(out.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(out.has("stream")).isFalse();
    }

    @Test
    void azureAndCompatibleCalls() {
        OpenAiTarget azure = new OpenAiTarget(URI.create("https://acme.openai.azure.com"), OpenAiTarget.Flavor.AZURE,
                "gpt4o-prod", "azkey", "2024-10-21", null);
        UpstreamCall call = OpenAiRequests.build(azure, Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), true);
        assertThat(call.pathAndQuery()).isEqualTo("/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21");
        assertThat(call.headers().get("api-key")).isEqualTo("azkey");
        assertThat(call.headers().contains("authorization")).isFalse();
        OpenAiTarget router = new OpenAiTarget(URI.create("https://openrouter.ai/api"), OpenAiTarget.Flavor.COMPATIBLE,
                "anthropic/claude-sonnet-4.5", "or-key", null, Map.of("X-Title", "Sluice"));
        UpstreamCall r = OpenAiRequests.build(router, Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), false);
        assertThat(r.pathAndQuery()).isEqualTo("/api/v1/chat/completions");
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer or-key");
        assertThat(r.headers().get("X-Title")).isEqualTo("Sluice");
        assertThat(OpenAiRequests.build(router, Operation.MODELS, RequestBody.of("{}"), false).pathAndQuery()).isEqualTo("/api/v1/models");
    }

    @Test
    void countTokensIsNotSupported() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenAiRequests.build(OPENAI, Operation.COUNT_TOKENS,
                RequestBody.of("{}"), false)).isInstanceOf(dev.sluice.wire.ApiError.class)
                .extracting(e -> ((dev.sluice.wire.ApiError) e).status()).isEqualTo(501);
    }

    @Test
    void embeddingsPassThroughWithOnlyTheModelChanged() throws Exception {
        String body = "{\"input\":[\"a\",\"b\"],\"model\":\"text-embedding-3-small\",\"encoding_format\":\"float\"}";
        assertThat(EmbeddingsRequest.inspect(body.getBytes()).inputs()).isEqualTo(2);
        UpstreamCall call = OpenAiRequests.embeddings(new OpenAiTarget(URI.create("https://api.openai.com"),
                OpenAiTarget.Flavor.OPENAI, "text-embedding-3-large", "k", null, null), RequestBody.of(body));
        assertThat(call.body().toString()).isEqualTo(
                "{\"input\":[\"a\",\"b\"],\"model\":\"text-embedding-3-large\",\"encoding_format\":\"float\"}");
        assertThat(EmbeddingsRequest.usage("{\"data\":[{\"embedding\":[0.1,0.2]}],\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}"
                .getBytes())).isEqualTo(dev.sluice.wire.Usage.of(8, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddingsRequest.inspect("{\"model\":\"m\",\"input\":{}}".getBytes()))
                .isInstanceOf(dev.sluice.wire.ApiError.class);
    }

    @Test
    void embeddingsRefuseAFieldGivenTwiceAndContentAfterTheObject() {
        // With "last wins" here and "first wins" upstream, the gateway would price one model and the upstream run another.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddingsRequest.inspect(
                        "{\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"model\":\"text-embedding-3-large\"}".getBytes()))
                .isInstanceOf(dev.sluice.wire.ApiError.class).hasMessageContaining("model: given twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddingsRequest.inspect(
                        "{\"model\":\"m\",\"input\":\"a\"} {\"model\":\"n\"}".getBytes()))
                .isInstanceOf(dev.sluice.wire.ApiError.class).hasMessageContaining("content after the JSON object");
        assertThat(EmbeddingsRequest.inspect("{\"model\":\"m\",\"input\":\"a\"}\n".getBytes()).model()).isEqualTo("m");
    }
}
