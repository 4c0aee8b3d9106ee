package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fix round 35: a batch still running holds its worst case on its caller's budgets (BatchHolds) until its results are
 * billed. In-memory counters are rebuilt from the ledger at a start, and the ledger knows nothing of holds: the batch's
 * row keeps what its parts asked for (migration V16), and the start takes the holds again, so the batch keeps counting
 * against the budget until it is billed, and billing it gives them back.
 */
class BatchHoldRestartTest {
    private static final String YAML = SluiceHarness.BASE_YAML + """
            store: {data-dir: "%s"}
            admin: {keys: [{value: sk-admin-hold-0123456789, role: read, name: ops}]}
            budgets:
              list: [{name: dev, level: tag, id: "proj=*", tokens: 1000000, token-kind: total}]
            """;

    @Test
    void aRunningBatchsHoldIsTakenAgainAtARestartAndGivenBackWhenItIsBilled(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SimServer sim = SluiceHarness.startSim();
        Gateway g = start(sim, data);
        try {
            HttpResponse<String> created = Http.post(g.baseUrl(), "/v1/messages/batches", """
                    {"requests": [%s, %s]}""".formatted(request("a", 300), request("b", 2000)), "x-sluice-tag-proj", "hold");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String id = Http.json(created.body()).path("id").asText();
            long held = standing(g).path("reserved").asLong();
            assertThat(held).as("the batch's parts held on the budget").isGreaterThan(2300);

            SluiceHarness.await(g.stop());
            g = start(sim, data);
            assertThat(standing(g).path("reserved").asLong()).as("held again after the restart").isEqualTo(held);
            assertThat(standing(g).path("spent").asLong()).isZero();

            Thread.sleep(400); // the simulated batch ends after 300 ms
            assertThat(results(g, id).statusCode()).isEqualTo(200);
            long ledgerTokens = BatchLedger.await(data, id, 2).stream().mapToLong(r -> r.input() + r.output()).sum();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (standing(g).path("reserved").asLong() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(standing(g).path("reserved").asLong()).as("given back once billed").isZero();
            assertThat(standing(g).path("spent").asLong()).isEqualTo(ledgerTokens);
        } finally {
            SluiceHarness.await(g.stop());
            SluiceHarness.await(sim.close());
        }
    }

    private static Gateway start(SimServer sim, Path data) {
        return SluiceHarness.await(Gateway.start(SluiceHarness.config(YAML.formatted(data), sim.baseUrl()), null,
                SluiceHarness.loader(sim.baseUrl())));
    }

    private static String request(String customId, int maxTokens) {
        return """
                {"custom_id": "%s", "params": {"model": "%s", "max_tokens": %d, "messages": [{"role": "user", "content": "hi %s"}]}}"""
                .formatted(customId, SluiceHarness.MODEL, maxTokens, customId);
    }

    private static HttpResponse<String> results(Gateway g, String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/messages/batches/" + id + "/results"))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("x-sluice-tag-proj", "hold").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The tag's standing on its token budget, as the admin API reports it. */
    private static JsonNode standing(Gateway g) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.baseUrl()
                        + "/admin/budgets/status?tag=proj=hold"))
                .header("authorization", "Bearer sk-admin-hold-0123456789").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body()).path("standings").get(0);
    }
}
