package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits and the fair queue through the gateway: a key over its requests per minute gets a 429
 * {@code rate_limit_error} with {@code retry-after} before anything is forwarded; a saturated upstream key serves one
 * request at a time from its queue and refuses what overflows the queue with a retryable 429.
 */
class BudgetLimitsTest {

    @Test
    void aKeyOverItsRequestsPerMinuteIsRefusedBeforeForwarding(@TempDir Path tmp) {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + store(tmp) + """
                budgets:
                  rate-limits: [{name: per-key, level: key, id: "*", requests-per-minute: 3}]
                """)) {
            for (int i = 0; i < 3; i++) {
                assertThat(message(h, 10).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> r = message(h, 10);
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("rate_limit_error").contains("rate limit 'per-key' reached (requests per minute)");
            assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
            assertThat(r.headers().firstValue("x-should-retry")).hasValue("true");
            assertThat(h.recorder().received()).hasSize(3);
        }
    }

    @Test
    void aSaturatedUpstreamKeyQueuesThenRefusesWhatOverflows(@TempDir Path tmp) throws Exception {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + store(tmp) + """
                budgets:
                  fair-queue: {max-concurrent: 1, queue-size: 1, max-wait: 10s}
                """)) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> slow(h)));
                Thread.sleep(100);
            }
            List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
            // One holds the key, one waits its turn, one finds the queue full (which one depends on arrival order).
            assertThat(answers.stream().map(HttpResponse::statusCode)).containsExactlyInAnyOrder(200, 200, 429);
            HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
            assertThat(refused.body()).contains("rate_limit_error").contains("upstream account busy");
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(h.recorder().received()).hasSize(2);
        }
    }

    private static String store(Path tmp) {
        return "store: {data-dir: \"" + tmp.resolve("data") + "\"}\n";
    }

    private static HttpResponse<String> slow(SluiceHarness h) {
        return send(h, 10, "800");
    }

    private static HttpResponse<String> message(SluiceHarness h, int outputTokens) {
        return send(h, outputTokens, "0");
    }

    private static HttpResponse<String> send(SluiceHarness h, int outputTokens, String ttft) {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + "/v1/messages")).header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01").header("x-sim-output-tokens", Integer.toString(outputTokens))
                .header("x-sim-ttft-ms", ttft).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
