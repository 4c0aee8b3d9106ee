package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.junit.jupiter.api.Test;

class VertexRequestsTest {
    private static String fixture() throws IOException {
        try (InputStream in = VertexRequestsTest.class.getResourceAsStream("/providers/bedrock/request-cache-control.json")) {
            return new String(in.readAllBytes()).strip();
        }
    }

    private static MultiMap client() {
        return MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "claude-code-20250219,context-1m-2025-08-07")
                .add("anthropic-version", "2023-06-01").add("x-api-key", "sk-client").add("authorization", "Bearer client")
                .add("x-stainless-lang", "js").add("content-length", "123")
                .add("X-Goog-User-Project", "someone-elses-project").add("x-goog-api-key", "AIza-caller");
    }

    @Test
    void regionalStreamingCall() throws Exception {
        VertexTarget target = new VertexTarget(VertexTarget.endpoint("us-east5"), "acme-prod", "us-east5", "claude-sonnet-4-5@20250929");
        assertThat(target.baseUrl()).isEqualTo(URI.create("https://us-east5-aiplatform.googleapis.com"));
        String original = fixture();
        UpstreamCall call = VertexRequests.build(target, Operation.MESSAGES, RequestBody.of(original), true, client(), "ya29.tok");
        assertThat(call.pathAndQuery()).isEqualTo(
                "/v1/projects/acme-prod/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
        assertThat(call.headers().get("authorization")).isEqualTo("Bearer ya29.tok");
        assertThat(call.headers().get("anthropic-beta")).isEqualTo("claude-code-20250219,context-1m-2025-08-07");
        assertThat(call.headers().contains("x-api-key")).isFalse();
        assertThat(call.headers().contains("content-length")).isFalse();
        assertThat(call.headers().get("x-stainless-lang")).isEqualTo("js");
        assertThat(call.headers().names()).as("Google's control headers from a caller").noneMatch(n -> n.toLowerCase().startsWith("x-goog-"));
        JsonNode body = Json.MAPPER.readTree(call.body().getBytes());
        JsonNode in = Json.MAPPER.readTree(original);
        assertThat(body.has("model")).isFalse();
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(body.has("anthropic_beta")).isFalse();
        assertThat(body.get("messages")).isEqualTo(in.get("messages"));
        assertThat(body.get("tools")).isEqualTo(in.get("tools"));
        assertThat(body.get("system")).isEqualTo(in.get("system"));
    }

    @Test
    void globalNonStreamingAndCountTokens() throws Exception {
        VertexTarget target = new VertexTarget(VertexTarget.endpoint("global"), "p-1", "global", "claude-opus-4-5@20251101");
        assertThat(target.baseUrl().getHost()).isEqualTo("aiplatform.googleapis.com");
        UpstreamCall call = VertexRequests.build(target, Operation.MESSAGES,
                RequestBody.of("{\"model\":\"claude-opus-4-5\",\"max_tokens\":8,\"messages\":[]}"), false, client(), "t");
        assertThat(call.pathAndQuery()).endsWith("/locations/global/publishers/anthropic/models/claude-opus-4-5@20251101:rawPredict");
        UpstreamCall count = VertexRequests.build(target, Operation.COUNT_TOKENS,
                RequestBody.of("{\"model\":\"claude-opus-4-5\",\"messages\":[]}"), false, client(), "t");
        assertThat(count.pathAndQuery()).isEqualTo("/v1/projects/p-1/locations/global/publishers/anthropic/models/count-tokens:rawPredict");
        JsonNode body = Json.MAPPER.readTree(count.body().getBytes());
        assertThat(body.get("model").asText()).isEqualTo("claude-opus-4-5@20251101");
        assertThat(body.get("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
    }

    @Test
    void pathPartsAreValidatedAndModelsIsNotSupported() {
        assertThatThrownBy(() -> new VertexTarget(URI.create("http://x"), "p/../x", "us-east5", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        VertexTarget target = new VertexTarget(URI.create("http://127.0.0.1:9/prefix/"), "p", "us-east5", "m@1");
        assertThat(VertexRequests.build(target, Operation.MESSAGES, RequestBody.of("{}"), false, client(), "t").pathAndQuery())
                .startsWith("/prefix/v1/projects/p/");
        assertThatThrownBy(() -> VertexRequests.build(target, Operation.MODELS, RequestBody.of("{}"), false, client(), "t"))
                .isInstanceOf(ApiError.class);
    }
}
