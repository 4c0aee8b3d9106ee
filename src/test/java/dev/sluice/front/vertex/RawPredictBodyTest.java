package dev.sluice.front.vertex;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import org.junit.jupiter.api.Test;

class RawPredictBodyTest {
    private static final VertexCall STREAM = new VertexCall("p", "us-east5", "claude-sonnet-4-5@20250929", true);
    private static final VertexCall WHOLE = new VertexCall("p", "us-east5", "claude-sonnet-4-5@20250929", false);

    private static String canonical(String body, VertexCall call) {
        return RawPredictBody.messages(RequestBody.of(body), call).body().bytes().toString(UTF_8);
    }

    @Test
    void claudeCodesStreamBodyBecomesTheAnthropicBodyWithEveryOtherByteKept() {
        String sent = "{\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}]}],\"stream\":true,\"anthropic_version\":\"vertex-2023-10-16\"}";
        assertThat(canonical(sent, STREAM)).isEqualTo("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":32000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":"
                + "{\"type\":\"ephemeral\"}}]}],\"stream\":true}");
    }

    @Test
    void theOriginalStaysAsTheClientSentIt() {
        RequestBody original = RequestBody.of("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":5,\"messages\":[]}");
        RequestBody canonical = RawPredictBody.messages(original, WHOLE).body();
        assertThat(original.edited()).isFalse();
        assertThat(canonical.edited()).as("the edits are applied into the canonical body's own bytes").isFalse();
        assertThat(canonical.bytes().toString(UTF_8)).isEqualTo("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":5,\"messages\":[]}");
    }

    @Test
    void theStreamCallAddsStreamAndAContradictionIsA400() {
        assertThat(canonical("{\"max_tokens\":5,\"messages\":[]}", STREAM)).contains("\"stream\":true");
        assertThat(canonical("{\"max_tokens\":5,\"messages\":[]}", WHOLE)).doesNotContain("stream");
        assertThatThrownBy(() -> canonical("{\"max_tokens\":5,\"stream\":false,\"messages\":[]}", STREAM))
                .isInstanceOf(ApiError.class).hasMessageContaining("use :rawPredict");
        assertThatThrownBy(() -> canonical("{\"max_tokens\":5,\"stream\":true,\"messages\":[]}", WHOLE))
                .isInstanceOf(ApiError.class).hasMessageContaining("use :streamRawPredict");
        assertThatThrownBy(() -> canonical("{\"stream\":\"yes\"}", STREAM)).hasMessageContaining("true or false");
    }

    @Test
    void thePathNamesTheModelAndAnIdThatDoesNotMapPassesAsGiven() {
        assertThat(canonical("{\"model\":\"claude-3-haiku\",\"max_tokens\":5}", WHOLE)).isEqualTo(
                "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":5}");
        VertexCall undated = new VertexCall("p", "global", "claude-opus-5-5", false);
        assertThat(canonical("{\"max_tokens\":5}", undated)).isEqualTo("{\"model\":\"claude-opus-5-5\",\"max_tokens\":5}");
        assertThat(RawPredictBody.anthropicName("claude-3-5-sonnet-v2@20241022")).isEqualTo("claude-3-5-sonnet-20241022");
        assertThat(RawPredictBody.anthropicName("my-tuned-model")).isEqualTo("my-tuned-model");
    }

    @Test
    void anthropicVersionIsCheckedAndAFieldGivenTwiceRefused() {
        assertThat(RawPredictBody.messages(RequestBody.of("{\"anthropic_version\":\"vertex-2023-10-16\"}"), WHOLE).apiVersion())
                .isEqualTo("2023-06-01");
        assertThat(RawPredictBody.messages(RequestBody.of("{\"anthropic_version\":\"2026-10-21\"}"), WHOLE).apiVersion())
                .as("the Vertex SDK 1.x sends its API version in the body").isEqualTo("2026-10-21");
        assertThat(RawPredictBody.messages(RequestBody.of("{}"), WHOLE).apiVersion()).isEqualTo("2023-06-01");
        assertThatThrownBy(() -> canonical("{\"anthropic_version\":\"bedrock-2023-05-31\"}", WHOLE))
                .isInstanceOf(ApiError.class).hasMessageContaining("vertex-2023-10-16");
        assertThatThrownBy(() -> canonical("{\"anthropic_version\":42}", WHOLE)).hasMessageContaining("anthropic_version: 42");
        assertThatThrownBy(() -> canonical("{\"stream\":true,\"stream\":true}", STREAM)).hasMessageContaining("stream: given twice");
        assertThatThrownBy(() -> canonical("{\"anthropic_version\":\"" + "x".repeat(10_000) + "\"}", WHOLE))
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }

    @Test
    void notAnObjectIsA400() {
        assertThatThrownBy(() -> canonical("", WHOLE)).isInstanceOf(ApiError.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> canonical("[1]", WHOLE)).isInstanceOf(ApiError.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> canonical("{\"a\":", WHOLE)).isInstanceOf(ApiError.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void countTokensMapsTheBodysModel() {
        String sent = "{\"anthropic_version\":\"vertex-2023-10-16\",\"model\":\"claude-haiku-4-5@20251001\",\"messages\":[]}";
        assertThat(RawPredictBody.countTokens(RequestBody.of(sent)).body().bytes().toString(UTF_8))
                .isEqualTo("{\"model\":\"claude-haiku-4-5-20251001\",\"messages\":[]}");
        assertThatThrownBy(() -> RawPredictBody.countTokens(RequestBody.of("{\"messages\":[]}")))
                .isInstanceOf(ApiError.class).hasMessageContaining("model: missing");
        assertThatThrownBy(() -> RawPredictBody.countTokens(RequestBody.of("{\"model\":\"a\\\"b\",\"messages\":[]}")))
                .isInstanceOf(ApiError.class).hasMessageContaining("Vertex model id");
    }
}
