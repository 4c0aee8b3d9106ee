package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch holds its expected spend on its caller's budgets until its results are billed: batches that each fit a
 * budget alone must not, together, spend several times what was left (they all spend later, result by result).
 */
class BatchHoldTest {

    private static final String ONE = """
            {"requests": [{"custom_id": "r", "params": {"model": "%s", "max_tokens": 300,
              "messages": [{"role": "user", "content": "a short answer"}]}}]}""".formatted(SluiceHarness.MODEL);

    @Test
    void batchesStillRunningCountAgainstTheNextOneUntilTheirResultsAreBilled(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                store: {data-dir: "%s"}
                budgets:
                  list: [{name: dev, level: key, id: "*", tokens: 5000, token-kind: total}]
                """.formatted(data))) {
            // Each batch may use ~1,500 tokens (its input's bound and 300 output): alone, every one fits the 5,000-token
            // line, and nothing is spent until results are read. Before holds, all ten were created.
            List<String> created = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 10 && refused == null; i++) {
                HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages/batches", ONE);
                if (r.statusCode() == 200) {
                    created.add(Http.json(r.body()).path("id").asText());
                } else {
                    refused = r;
                }
            }
            assertThat(refused).as("the held batches fill the budget").isNotNull();
            assertThat(created).hasSizeBetween(2, 5);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(Http.json(refused.body()).path("error").path("type").asText()).isEqualTo("billing_error");
            assertThat(refused.headers().firstValue("retry-after")).isEmpty();
            long creates = h.recorder().received().stream()
                    .filter(r -> r.method().equals("POST") && r.uri().endsWith("/v1/messages/batches")).count();
            assertThat(creates).as("the refused batch never reached the upstream").isEqualTo(created.size());

            // The first batch's results are read and billed: its hold is given back and only what it spent stays, so
            // another batch fits again.
            AnthropicClient client = AnthropicOkHttpClient.builder().apiKey(SluiceHarness.GATEWAY_KEY)
                    .baseUrl(h.gatewayUrl()).maxRetries(0).build();
            try {
                MessageBatchesSdkTest.ended(client, created.getFirst());
                assertThat(MessageBatchesSdkTest.results(client, created.getFirst())).hasSize(1);
            } finally {
                client.close();
            }
            assertThat(BatchLedger.await(data, created.getFirst(), 1)).hasSize(1);
            HttpResponse<String> again = Http.post(h.gatewayUrl(), "/v1/messages/batches", ONE);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        }
    }
}
