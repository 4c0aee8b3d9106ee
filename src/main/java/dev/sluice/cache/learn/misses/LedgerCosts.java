package dev.sluice.cache.learn.misses;

import dev.sluice.cache.learn.capture.Shape;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the missed requests of a capture cost, read from the ledger (every attempt of the request summed), in
 * batches of {@value #BATCH} request ids. Blocking.
 */
public final class LedgerCosts {
    static final int BATCH = 500;

    private LedgerCosts() {
    }

    public static Map<String, Long> of(DataSource db, List<Shape> shapes) {
        Map<String, Long> out = new HashMap<>();
        List<String> ids = shapes.stream().filter(Shape::missed).map(Shape::requestId).filter(java.util.Objects::nonNull).toList();
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            String sql = "SELECT request_id, SUM(cost_nano_usd) FROM ledger WHERE request_id IN ("
                    + "?,".repeat(batch.size() - 1) + "?) GROUP BY request_id";
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < batch.size(); i++) {
                    ps.setString(i + 1, batch.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("ledger costs of missed requests: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
