package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Betas;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockBodyTest {
    private static final String FIXTURE = "/providers/bedrock/request-cache-control.json";

    @Test
    void dropsModelStreamTagsAddsVersionAndBetasKeepsEveryOtherByte() throws Exception {
        String original = Fixtures.text(FIXTURE);
        RequestBody body = RequestBody.of(original);
        RequestBody adapted = BedrockBody.invokeBody(body, Betas.parse(List.of(
                "claude-code-20250219,interleaved-thinking-2025-05-14", "extended-cache-ttl-2025-04-11")));
        String out = adapted.bytes().toString(StandardCharsets.UTF_8);
        JsonNode tree = Json.MAPPER.readTree(out);
        assertThat(tree.has("model")).isFalse();
        assertThat(tree.has("stream")).isFalse();
        assertThat(tree.has("tags")).isFalse();
        assertThat(tree.get("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(tree.get("anthropic_beta").toString()).isEqualTo(
                "[\"claude-code-20250219\",\"interleaved-thinking-2025-05-14\",\"extended-cache-ttl-2025-04-11\"]");
        // The rest is the client's bytes: system, tools, messages (cache_control on tool_use and tool_result), metadata.
        JsonNode in = Json.MAPPER.readTree(original);
        for (String kept : List.of("system", "tools", "messages", "metadata", "thinking", "max_tokens")) {
            assertThat(tree.get(kept)).as(kept).isEqualTo(in.get(kept));
        }
        String messagesBytes = original.substring(original.indexOf("\"messages\":"), original.indexOf(",\"metadata\""));
        assertThat(out).contains(messagesBytes);
        assertThat(body.edited()).as("the caller's body is untouched").isFalse();
    }

    @Test
    void withoutBetasNoAnthropicBetaField() throws Exception {
        RequestBody adapted = BedrockBody.invokeBody(RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}"), List.of());
        assertThat(adapted.bytes().toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":5,\"messages\":[]}");
    }

    @Test
    void bodyBetasAndHeaderBetasAreMerged() throws Exception {
        RequestBody adapted = BedrockBody.invokeBody(RequestBody.of(
                "{\"anthropic_beta\":[\"a\",\"b\"],\"model\":\"m\",\"messages\":[]}"), List.of("b", "c"));
        JsonNode tree = Json.MAPPER.readTree(adapted.bytes().getBytes());
        assertThat(tree.get("anthropic_beta").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    }

    @Test
    void aBodyEditedByAnotherStageIsAdaptedFromItsEditedBytes() throws Exception {
        String json = "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        RequestBody body = RequestBody.of(json);
        int at = json.indexOf("\"claude-x\"");
        body.replace(at, at + 10, "\"claude-y\"".getBytes(), "route: model");
        RequestBody adapted = BedrockBody.invokeBody(body, List.of());
        JsonNode tree = Json.MAPPER.readTree(adapted.bytes().getBytes());
        assertThat(tree.has("model")).isFalse();
        assertThat(tree.get("messages").get(0).get("content").asText()).isEqualTo("hi");
    }

    @Test
    void countTokensWrapsTheInvokeBodyInBase64WithMaxTokens() throws Exception {
        byte[] out = BedrockBody.countTokensBody(RequestBody.of(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), List.of("token-counting-2024-11-01"));
        JsonNode tree = Json.MAPPER.readTree(out);
        byte[] inner = Base64.getDecoder().decode(tree.at("/input/invokeModel/body").asText());
        JsonNode invoke = Json.MAPPER.readTree(inner);
        assertThat(invoke.get("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
        assertThat(invoke.get("max_tokens").asInt()).isEqualTo(1);
        assertThat(invoke.has("model")).isFalse();
        assertThat(invoke.get("anthropic_beta").get(0).asText()).isEqualTo("token-counting-2024-11-01");
    }

    @Test
    void notAnObjectIsA400() {
        assertThatThrownBy(() -> BedrockBody.invokeBody(RequestBody.of("[]"), List.of()))
                .isInstanceOf(ApiError.class).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
    }
}
