package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The decoders of the OpenAI answers that keep their shape: embeddings (metered) and the model list (made canonical). */
class PassThroughDecodersTest {
    private static final String EMBEDDINGS = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
            + "[0.1,-0.2,0.3]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12}}";

    @Test
    void embeddingsPassAsTheyCameAndCostTheirPromptTokens() {
        EmbeddingsDecoder d = new EmbeddingsDecoder();
        Buffer out = d.body(200, Buffer.buffer(EMBEDDINGS));
        assertThat(out.toString()).isEqualTo(EMBEDDINGS);
        assertThat(d.usage()).isEqualTo(Usage.of(12, 0));
        assertThat(d.servedModel()).isEqualTo("text-embedding-3-small");
        assertThat(d.complete()).isTrue();
        assertThat(d.estimated()).isFalse();
    }

    @Test
    void anUnreadableEmbeddingsAnswerIsFlaggedNotSilentlyFree() {
        EmbeddingsDecoder d = new EmbeddingsDecoder();
        d.body(200, Buffer.buffer("<html>proxy</html>"));
        assertThat(d.usage()).isEqualTo(Usage.ZERO);
        assertThat(d.estimated()).isTrue();
    }

    @Test
    void anEmbeddingsErrorBecomesTheCanonicalEnvelope() {
        EmbeddingsDecoder d = new EmbeddingsDecoder();
        Buffer out = d.body(429, Buffer.buffer("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));
        assertThat(Http.json(out.toString()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(d.errorType()).isEqualTo("rate_limit_error");
    }

    @Test
    void anOpenAiModelListBecomesAnthropicsAndOneModelCanBeAskedFor() {
        String list = "{\"object\":\"list\",\"data\":[{\"id\":\"llama3.1:8b\",\"object\":\"model\",\"created\":1721000000,\"owned_by\":\"library\"},"
                + "{\"id\":\"qwen2.5\",\"object\":\"model\",\"created\":1722000000,\"owned_by\":\"library\"}]}";
        ModelListDecoder all = new ModelListDecoder(null);
        var canonical = Http.json(all.body(200, Buffer.buffer(list)).toString());
        assertThat(canonical.path("data").findValuesAsText("id")).containsExactly("llama3.1:8b", "qwen2.5");
        assertThat(canonical.at("/data/0/type").asText()).isEqualTo("model");
        assertThat(canonical.at("/data/0/created_at").asText()).isEqualTo("2024-07-14T23:33:20Z");
        assertThat(canonical.path("first_id").asText()).isEqualTo("llama3.1:8b");
        assertThat(all.clientStatus(200)).isEqualTo(200);

        ModelListDecoder one = new ModelListDecoder("qwen2.5");
        assertThat(Http.json(one.body(200, Buffer.buffer(list)).toString()).path("id").asText()).isEqualTo("qwen2.5");
        ModelListDecoder missing = new ModelListDecoder("gpt-9");
        assertThat(Http.json(missing.body(200, Buffer.buffer(list)).toString()).at("/error/type").asText()).isEqualTo("not_found_error");
        assertThat(missing.clientStatus(200)).isEqualTo(404);
    }

    @Test
    void theModelIdComesFromWhereverTheListIsMounted() {
        assertThat(OpenAiUpstreamProtocol.modelId("/v1/models")).isNull();
        assertThat(OpenAiUpstreamProtocol.modelId("/openai/v1/models/gpt-4.1")).isEqualTo("gpt-4.1");
        assertThat(OpenAiUpstreamProtocol.modelId("/v1/models/")).isNull();
    }
}
