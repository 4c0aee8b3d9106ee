package dev.sluice.batches;

import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.wire.Usage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A test's view of the ledger rows of one batch, read from the gateway's SQLite file as finance would read them. */
final class BatchLedger {
    /** One row: what it says was used and what it cost. */
    record Row(String requestId, String keyAlias, String model, String endpoint, long input, long output, long costNanoUsd) {
        /** What the same usage costs at the standard (not batch) price of the built-in table. */
        long standardCost() {
            return new Meter(PriceTable.builtIn()).cost(model, Usage.of(input, output)).nanoUsd();
        }
    }

    private BatchLedger() {
    }

    static List<Row> rows(Path dataDir, String batchId) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sluice.db"));
             PreparedStatement s = c.prepareStatement("SELECT request_id, key_alias, served_model, endpoint, input_tokens,"
                     + " output_tokens, cost_nano_usd FROM ledger WHERE request_id LIKE ? ORDER BY request_id")) {
            s.setString(1, batchId + ":%");
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows once there are {@code n} of them (the ledger commits in batches of up to 200 ms), failing after 15 s. */
    static List<Row> await(Path dataDir, String batchId, int n) throws InterruptedException {
        long until = System.nanoTime() + 15_000_000_000L;
        List<Row> rows = rows(dataDir, batchId);
        while (rows.size() < n && System.nanoTime() < until) {
            Thread.sleep(100);
            rows = rows(dataDir, batchId);
        }
        return rows;
    }
}
