package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch's worst case must fit its caller's budgets before it is created: one message may overshoot a budget by its own
 * worst case, but a batch taken as one request would overshoot by all of its requests'.
 */
class BatchBudgetTest {

    @Test
    void aBatchWhoseWorstCaseCrossesAHardBudgetIsRefusedBeforeItIsCreated(@TempDir Path tmp) throws Exception {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                store: {data-dir: "%s"}
                budgets:
                  list: [{name: dev, level: key, id: "*", usd: 1}]
                """.formatted(tmp.resolve("data")))) {
            // 20 requests that may each write 64,000 tokens: about $19 at the standard rate, far past the $1 line.
            StringBuilder big = new StringBuilder("{\"requests\": [");
            for (int i = 0; i < 20; i++) {
                big.append(i == 0 ? "" : ",").append("{\"custom_id\": \"b").append(i).append("\", \"params\": {\"model\": \"")
                        .append(SluiceHarness.MODEL).append("\", \"max_tokens\": 64000, \"messages\": [{\"role\": \"user\",")
                        .append(" \"content\": \"write a long story\"}]}}");
            }
            HttpResponse<String> refused = Http.post(h.gatewayUrl(), "/v1/messages/batches", big.append("]}").toString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(Http.json(refused.body()).path("error").path("type").asText()).isEqualTo("billing_error");
            assertThat(Http.json(refused.body()).path("error").path("message").asText()).contains("split it");
            assertThat(refused.headers().firstValue("retry-after")).as("waiting would not help").isEmpty();
            assertThat(h.recorder().received()).as("nothing was created upstream").isEmpty();

            // A small batch fits, and the refused one left no reservation behind.
            HttpResponse<String> small = Http.post(h.gatewayUrl(), "/v1/messages/batches", """
                    {"requests": [{"custom_id": "s", "params": {"model": "%s", "max_tokens": 100,
                      "messages": [{"role": "user", "content": "a short answer"}]}}]}""".formatted(SluiceHarness.MODEL));
            assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
            assertThat(Http.json(small.body()).path("id").asText()).startsWith("msgbatch_");
        }
    }

    @Test
    void aBatchIsAskedForInAtMostSixtyFourPartsPerModelOfOneModelEach() {
        BatchAsks asks = new BatchAsks(new dev.sluice.budget.InputTokens());
        for (int i = 0; i < 10_000; i++) {
            asks.add(i % 10 == 0 ? "claude-opus-4-5" : "claude-sonnet-4-5", 500, 1_000);
        }
        List<BudgetRequest> parts = asks.parts("req_1", new Identity("k", "k", null, null, null, Map.of()));
        assertThat(parts.size()).isBetween(2, BatchAsks.PARTS + 2);
        assertThat(parts).extracting(BudgetRequest::attempt).doesNotHaveDuplicates();
        assertThat(parts.stream().mapToLong(BudgetRequest::maxTokens).sum()).isEqualTo(10_000L * 1_000);
        assertThat(parts.stream().filter(p -> p.model().equals("claude-opus-4-5")).mapToLong(BudgetRequest::maxTokens).sum())
                .isEqualTo(1_000L * 1_000);
        long total = 10_000L * (500 + 1_024 + 1_000);
        parts.forEach(p -> assertThat(p.inputBound() + p.maxTokens()).isLessThanOrEqualTo((total + BatchAsks.PARTS - 1) / BatchAsks.PARTS));
    }
}
