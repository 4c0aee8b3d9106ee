package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.MessageBatch;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose results nobody reads is billed all the same, by the gateway's sweeper, and its spend counts against the
 * caller's budget: past its hard line, the caller's next batch is refused as its next message would be.
 */
class BatchSweepTest {

    @Test
    void anUnreadBatchIsBilledInTheBackgroundAndCountsAgainstTheBudget(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SluiceHarness h;
        System.setProperty(Batches.SWEEP_PROPERTY, "200");
        try {
            h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                    store: {data-dir: "%s"}
                    budgets:
                      list: [{name: dev, level: key, id: "*", tokens: 30, token-kind: total}]
                    """.formatted(data));
        } finally {
            System.clearProperty(Batches.SWEEP_PROPERTY); // read at start: other gateways in this JVM keep the default
        }
        AnthropicClient client = AnthropicOkHttpClient.builder().apiKey(SluiceHarness.GATEWAY_KEY).baseUrl(h.gatewayUrl())
                .maxRetries(0).build();
        try (h) {
            // One request: a batch is admitted while its worst case, part by part, has not reached the line (BatchAsks),
            // and a single part always starts below it.
            MessageBatch b = client.messages().batches().create(BatchCreateParams.builder()
                    .addRequest(MessageBatchesSdkTest.request("s-1", SluiceHarness.MODEL, "Unread one"))
                    .build());

            List<BatchLedger.Row> rows = BatchLedger.await(data, b.id(), 1);
            assertThat(rows).extracting(BatchLedger.Row::requestId).containsExactly(b.id() + ":s-1");
            rows.forEach(r -> assertThat(r.costNanoUsd() * 2).isEqualTo(r.standardCost()));
            assertThat(h.recorder().received()).as("the sweeper read the results itself")
                    .anySatisfy(r -> assertThat(r.uri()).endsWith("/v1/messages/batches/" + b.id() + "/results"));

            // input + 40 output tokens is past the 30-token line: the next batch is refused before it is forwarded.
            long created = creates(h);
            HttpResponse<String> refused = Http.post(h.gatewayUrl(), "/v1/messages/batches", """
                    {"requests": [{"custom_id": "late", "params": {"model": "%s", "max_tokens": 10,
                      "messages": [{"role": "user", "content": "one more"}]}}]}""".formatted(SluiceHarness.MODEL));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(Http.json(refused.body()).path("error").path("type").asText()).isEqualTo("billing_error");
            assertThat(creates(h)).isEqualTo(created);
        } finally {
            client.close();
        }
    }

    private static long creates(SluiceHarness h) {
        return h.recorder().received().stream()
                .filter(r -> r.method().equals("POST") && r.uri().endsWith("/v1/messages/batches")).count();
    }
}
