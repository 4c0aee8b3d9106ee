package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create whose answer was lost (the gateway killed after the upstream made the batch and before it was named; a
 * connection cut after the upstream accepted) leaves its pending row, and the batch runs and is billed upstream all
 * the same: the sweeper finds it in the upstream's list, gives it to the caller, and bills its results. A pending
 * create the upstream never made is dropped.
 */
class BatchReconcileTest {
    private static final String TWO = """
            {"requests": [
              {"custom_id": "a", "params": {"model": "%1$s", "max_tokens": 50, "messages": [{"role": "user", "content": "one"}]}},
              {"custom_id": "b", "params": {"model": "%1$s", "max_tokens": 50, "messages": [{"role": "user", "content": "two"}]}}
            ]}""".formatted(SluiceHarness.MODEL);

    @Test
    void aBatchWhoseCreateAnswerWasLostIsFoundAgainAndBilled(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SluiceHarness h;
        System.setProperty(Batches.SWEEP_PROPERTY, "200");
        System.setProperty(BatchReconciler.AGE_PROPERTY, "1500");
        try {
            h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                    store: {data-dir: "%s"}
                    """.formatted(data));
        } finally {
            System.clearProperty(Batches.SWEEP_PROPERTY);
            System.clearProperty(BatchReconciler.AGE_PROPERTY);
        }
        try (h) {
            // One create through the gateway: its row is named at once, so it gives the caller's identity to copy.
            HttpResponse<String> first = Http.post(h.gatewayUrl(), "/v1/messages/batches", TWO);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            String known = Http.json(first.body()).path("id").asText();

            // The lost one: the upstream made it (with the gateway's key), the gateway kept only its pending row.
            HttpResponse<String> direct = Http.send(HttpRequest.newBuilder(java.net.URI.create(h.simUrl() + "/v1/messages/batches"))
                    .header("x-api-key", SluiceHarness.UPSTREAM_KEY).header("anthropic-version", "2023-06-01")
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TWO)).build());
            assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
            String lost = Http.json(direct.body()).path("id").asText();
            long now = System.currentTimeMillis();
            pendingLike(data, known, "pending:req_lost", now, 2);
            pendingLike(data, known, "pending:req_never", now, 3); // no batch of three requests exists

            assertThat(listed(h)).as("a pending create is nobody's batch yet").doesNotContain("pending:req_lost")
                    .doesNotContain(lost);

            List<BatchLedger.Row> rows = BatchLedger.await(data, lost, 2);
            assertThat(rows).extracting(BatchLedger.Row::requestId).containsExactly(lost + ":a", lost + ":b");
            assertThat(listed(h)).contains(lost, known);
            assertThat(ids(data)).contains(lost, known).doesNotContain("pending:req_lost", "pending:req_never");
        }
    }

    private static String listed(SluiceHarness h) {
        HttpResponse<String> list = Http.send(HttpRequest.newBuilder(java.net.URI.create(h.gatewayUrl() + "/v1/messages/batches"))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01").GET().build());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return list.body();
    }

    /** A pending row as a create writes it, for the caller of {@code like}. */
    private static void pendingLike(Path data, String like, String id, long createdMs, int requests) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("sluice.db"));
             PreparedStatement s = c.prepareStatement("INSERT INTO message_batches (id, upstream, key_alias, caller_key,"
                     + " caller_alias, user_id, team_id, org_id, tags, created_ms, hold_parts, request_count) SELECT ?, upstream,"
                     + " key_alias, caller_key, caller_alias, user_id, team_id, org_id, tags, ?, 0, ? FROM message_batches"
                     + " WHERE id = ?")) {
            s.setString(1, id);
            s.setLong(2, createdMs);
            s.setInt(3, requests);
            s.setString(4, like);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static List<String> ids(Path data) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("sluice.db"));
             PreparedStatement s = c.prepareStatement("SELECT id FROM message_batches");
             ResultSet rs = s.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
