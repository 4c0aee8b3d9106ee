package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.RestartableGateway;
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
    @Test
    void resultsBilledAgainAfterARestartAreNotChargedTwiceToCountersRebuiltFromTheLedger(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (RestartableGateway g = RestartableGateway.start(BatchBudgetCalls.yaml("sk-admin-restart-0123456789"), data)) {
            BatchBudgetCalls calls = new BatchBudgetCalls(g::url, "atk", "sk-admin-restart-0123456789");
            HttpResponse<String> created = calls.create(BatchBudgetCalls.request("a", 100), BatchBudgetCalls.request("b", 100),
                    BatchBudgetCalls.request("c", 100));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String id = Http.json(created.body()).path("id").asText();
            Thread.sleep(600); // the simulated batch ends after 300 ms
            assertThat(calls.results(id).statusCode()).isEqualTo(200);
            List<BatchLedger.Row> rows = BatchLedger.await(data, id, 3);
            assertThat(rows).hasSize(3);
            long ledgerTokens = rows.stream().mapToLong(r -> r.input() + r.output()).sum();
            assertThat(spent(calls)).as("charged once on the first read").isEqualTo(ledgerTokens);

            // The kill's moment: every line billed, the batch not yet marked billed.
            g.stop();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("sluice.db"))) {
                assertThat(c.createStatement().executeUpdate("UPDATE message_batches SET billed_ms = NULL WHERE id = '" + id + "'"))
                        .isEqualTo(1);
            }
            g.start();
            assertThat(spent(calls)).as("counters rebuilt from the ledger").isEqualTo(ledgerTokens);
            assertThat(calls.results(id).statusCode()).isEqualTo(200);
            Thread.sleep(300);
            assertThat(BatchLedger.rows(data, id)).hasSize(3);
            assertThat(spent(calls)).as("results read again after the restart: the budget still equals the ledger").isEqualTo(ledgerTokens);
        }
    }

    private static long spent(BatchBudgetCalls calls) throws Exception {
        return calls.standing().path("spent").asLong();
    }
}
