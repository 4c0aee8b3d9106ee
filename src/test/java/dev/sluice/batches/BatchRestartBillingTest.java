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
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 33: the gateway stopped (killed) while it billed a batch's results, after the lines' ledger records and
 * budget charges and before the batch was marked billed. The next start rebuilds its in-memory counters from the ledger,
 * which already holds those records; reading the results again bills every line again, which the ledger ignores. The
 * budget must ignore it too: its spend stays the ledger's, not twice it.
 */
class BatchRestartBillingTest {
    private static final String YAML = SluiceHarness.BASE_YAML + """
            store: {data-dir: "%s"}
            admin: {keys: [{value: sk-admin-restart-0123456789, role: read, name: ops}]}
            budgets:
              list: [{name: dev, level: tag, id: "proj=*", tokens: 1000000, token-kind: total}]
            """;

    @Test
    void resultsBilledAgainAfterARestartAreNotChargedTwiceToCountersRebuiltFromTheLedger(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SimServer sim = SluiceHarness.startSim();
        Gateway g = start(sim, data);
        try {
            HttpResponse<String> created = Http.post(g.baseUrl(), "/v1/messages/batches", """
                    {"requests": [%s, %s, %s]}""".formatted(request("a"), request("b"), request("c")),
                    "x-sluice-tag-proj", "atk");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String id = Http.json(created.body()).path("id").asText();
            Thread.sleep(600); // the simulated batch ends after 300 ms
            assertThat(results(g, id).statusCode()).isEqualTo(200);
            List<BatchLedger.Row> rows = BatchLedger.await(data, id, 3);
            assertThat(rows).hasSize(3);
            long ledgerTokens = rows.stream().mapToLong(r -> r.input() + r.output()).sum();
            assertThat(spent(g)).as("charged once on the first read").isEqualTo(ledgerTokens);

            // The kill's moment: every line billed, the batch not yet marked billed.
            SluiceHarness.await(g.stop());
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("sluice.db"))) {
                assertThat(c.createStatement().executeUpdate("UPDATE message_batches SET billed_ms = NULL WHERE id = '" + id + "'"))
                        .isEqualTo(1);
            }
            g = start(sim, data);
            assertThat(spent(g)).as("counters rebuilt from the ledger").isEqualTo(ledgerTokens);
            assertThat(results(g, id).statusCode()).isEqualTo(200);
            Thread.sleep(300);
            assertThat(BatchLedger.rows(data, id)).hasSize(3);
            assertThat(spent(g)).as("results read again after the restart: the budget still equals the ledger").isEqualTo(ledgerTokens);
        } finally {
            SluiceHarness.await(g.stop());
            SluiceHarness.await(sim.close());
        }
    }

    private static Gateway start(SimServer sim, Path data) {
        return SluiceHarness.await(Gateway.start(SluiceHarness.config(YAML.formatted(data), sim.baseUrl()), null,
                SluiceHarness.loader(sim.baseUrl())));
    }

    private static String request(String customId) {
        return """
                {"custom_id": "%s", "params": {"model": "%s", "max_tokens": 100, "messages": [{"role": "user", "content": "hi %s"}]}}"""
                .formatted(customId, SluiceHarness.MODEL, customId);
    }

    private static HttpResponse<String> results(Gateway g, String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/messages/batches/" + id + "/results"))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("x-sluice-tag-proj", "atk").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The tag's spend on its token budget, as the admin API reports it. */
    private static long spent(Gateway g) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(g.baseUrl()
                        + "/admin/budgets/status?tag=proj=atk"))
                .header("authorization", "Bearer sk-admin-restart-0123456789").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode standings = Http.json(r.body());
        return standings.path("standings").get(0).path("spent").asLong();
    }
}
