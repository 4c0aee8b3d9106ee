package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.ErrorBody;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only Anthropic's own API holds threads: a thread request bound anywhere else is refused in the shape the SDK reads. */
class ThreadHoldersTest {
    private static Exchange exchange(String json) {
        Exchange ex = new Exchange("req_t", System.nanoTime(), null, Operation.MESSAGES, "POST /v1/messages",
                AnthropicProtocol.INSTANCE, null);
        RequestBody body = RequestBody.of(json);
        ex.body(body, body);
        ex.facts(AnthropicProtocol.INSTANCE.inspect(Operation.MESSAGES, body).facts());
        return ex;
    }

    private static UpstreamSpec spec(String provider) {
        return new UpstreamSpec("u", provider, "http", "127.0.0.1", 1, "", List.of(), 1, null);
    }

    @Test
    void everyProviderButAnthropicRefusesAThreadAndNoneRefusesWithoutOne() {
        Exchange threaded = exchange("{\"model\":\"m\",\"max_tokens\":5,\"thread\":{\"type\":\"create\"},\"messages\":[]}");
        Exchange plain = exchange("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}");
        Exchange none = exchange("{\"model\":\"m\",\"max_tokens\":5,\"thread\":null,\"messages\":[]}");
        assertThat(ThreadHolders.refusal(threaded, spec("anthropic"))).isNull();
        for (String provider : List.of("openai", "azure-openai", "bedrock", "vertex", "foundry")) {
            ApiError refused = ThreadHolders.refusal(threaded, spec(provider));
            assertThat(refused).as(provider).isNotNull();
            assertThat(refused.status()).isEqualTo(400);
            assertThat(ErrorBody.json(refused.type(), refused.getMessage(), refused.detailsJson(), "req_t"))
                    .contains("\"details\":{\"error_code\":\"thread_unsupported_request\"");
            assertThat(ThreadHolders.refusal(plain, spec(provider))).isNull();
            assertThat(ThreadHolders.refusal(none, spec(provider))).isNull();
        }
    }
}
