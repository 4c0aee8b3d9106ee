package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.RestartableGateway;
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
    @Test
    void aRunningBatchsHoldIsTakenAgainAtARestartAndGivenBackWhenItIsBilled(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        try (RestartableGateway g = RestartableGateway.start(BatchBudgetCalls.yaml("sk-admin-hold-0123456789"), data)) {
            BatchBudgetCalls calls = new BatchBudgetCalls(g::url, "hold", "sk-admin-hold-0123456789");
            HttpResponse<String> created = calls.create(BatchBudgetCalls.request("a", 300), BatchBudgetCalls.request("b", 2000));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String id = Http.json(created.body()).path("id").asText();
            long held = calls.standing().path("reserved").asLong();
            assertThat(held).as("the batch's parts held on the budget").isGreaterThan(2300);

            g.restart();
            assertThat(calls.standing().path("reserved").asLong()).as("held again after the restart").isEqualTo(held);
            assertThat(calls.standing().path("spent").asLong()).isZero();

            Thread.sleep(400); // the simulated batch ends after 300 ms
            assertThat(calls.results(id).statusCode()).isEqualTo(200);
            long ledgerTokens = BatchLedger.await(data, id, 2).stream().mapToLong(r -> r.input() + r.output()).sum();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (calls.standing().path("reserved").asLong() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(calls.standing().path("reserved").asLong()).as("given back once billed").isZero();
            assertThat(calls.standing().path("spent").asLong()).isEqualTo(ledgerTokens);
        }
    }
}
