package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A whole chat completion kept by the decoder and sent to an OpenAI client as it came, only while it is the answer given. */
class RelayedAnswerTest {
    private static final String COMPLETION = "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"gpt-4.1-2025-04-14\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"hi \\u00e9\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":4},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}}";

    @Test
    void theUpstreamsBodyGoesOutAsItCameNamingTheSnapshotThatServed() throws Exception {
        RelayedAnswer relay = new RelayedAnswer();
        OpenAiDecoder decoder = new OpenAiDecoder(relay);
        Buffer canonical = decoder.body(200, Buffer.buffer(COMPLETION));
        assertThat(decoder.report().usage().cacheReadInputTokens()).isEqualTo(4);
        assertThat(decoder.report().usage().inputTokens()).isEqualTo(6);

        Buffer out = relay.forClient(canonical);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the model that served, as OpenAI names it").isEqualTo(COMPLETION);
        JsonNode json = Json.MAPPER.readTree(out.getBytes());
        assertThat(json.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).as("kept, not re-rendered").isEqualTo(1);
    }

    @Test
    void anyOtherBodyIsRenderedByTheCallerInstead() {
        RelayedAnswer relay = new RelayedAnswer();
        OpenAiDecoder decoder = new OpenAiDecoder(relay);
        Buffer canonical = decoder.body(200, Buffer.buffer(COMPLETION));
        assertThat(relay.forClient(Buffer.buffer(canonical.getBytes()))).as("a replaced or cached body").isNull();
        assertThat(relay.forClient(null)).isNull();

        RelayedAnswer none = new RelayedAnswer();
        new OpenAiDecoder(none).body(429, Buffer.buffer("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"));
        assertThat(none.forClient(canonical)).as("an error is never kept").isNull();
    }
}
