package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One key polling its batches cannot spend the team's upstream batch allowance: past its own upstream calls a minute
 * (a listed batch is one call), the gateway answers a retryable 429 itself and asks the upstream nothing; other keys
 * go on.
 */
class BatchCallLimitTest {
    private static final String OTHER_KEY = "sk-sluice-other-0123456789";

    @Test
    void aKeyPastItsBatchCallsAMinuteGetsA429AndTheUpstreamIsNotAsked(@TempDir Path tmp) throws Exception {
        System.setProperty(BatchCallRate.PROPERTY, "4");
        SluiceHarness h;
        try {
            h = SluiceHarness.start(SluiceHarness.BASE_YAML.replace("keys: [\"${GATEWAY_KEY}\"]",
                    "keys: [\"${GATEWAY_KEY}\", \"" + OTHER_KEY + "\"]") + """
                    store: {data-dir: "%s"}
                    """.formatted(tmp.resolve("data")));
        } finally {
            System.clearProperty(BatchCallRate.PROPERTY); // read at start: other gateways in this JVM keep the default
        }
        try (h) {
            String id1 = create(h, SluiceHarness.GATEWAY_KEY);                       // 1 call
            create(h, SluiceHarness.GATEWAY_KEY);                                    // 2
            assertThat(call(h, "/v1/messages/batches", SluiceHarness.GATEWAY_KEY).statusCode()).isEqualTo(200); // 2 more: 4
            int upstreamCalls = h.recorder().received().size();

            HttpResponse<String> refused = call(h, "/v1/messages/batches/" + id1, SluiceHarness.GATEWAY_KEY);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(Http.json(refused.body()).path("type").asText()).isEqualTo("error");
            assertThat(Http.json(refused.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
            assertThat(Http.json(refused.body()).path("request_id").asText()).startsWith("req_");
            assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(
                    s -> assertThat(Long.parseLong(s)).isBetween(1L, 60L));
            assertThat(h.recorder().received()).as("nothing forwarded for the refused call").hasSize(upstreamCalls);

            assertThat(call(h, "/v1/messages/batches", OTHER_KEY).statusCode()).as("another key's allowance").isEqualTo(200);
        }
    }

    private static String create(SluiceHarness h, String key) {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages/batches", """
                {"requests": [{"custom_id": "c", "params": {"model": "%s", "max_tokens": 10,
                  "messages": [{"role": "user", "content": "hi"}]}}]}""".formatted(SluiceHarness.MODEL), "x-api-key", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body()).path("id").asText();
    }

    private static HttpResponse<String> call(SluiceHarness h, String path, String key) {
        return Http.send(Http.request(h.gatewayUrl(), path).setHeader("x-api-key", key).GET().build());
    }
}
