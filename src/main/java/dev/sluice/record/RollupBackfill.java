package dev.sluice.record;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills {@code spend_daily} from the ledger already written (migration V12), so a gateway upgraded onto an existing
 * ledger reports from the rollup at once. One pass over the ledger in request-id order, the same per-request
 * arithmetic as the writer ({@link RollupDeltas}), one upsert per cell every {@link #FLUSH_CELLS} cells.
 */
public final class RollupBackfill {
    private static final int FLUSH_CELLS = 100_000;
    private static final String SUM_SOURCES = "input_tokens, output_tokens, cache_creation_tokens, cache_creation_5m_tokens, "
            + "cache_creation_1h_tokens, cache_read_tokens, web_search_requests, web_fetch_requests, cost_nano_usd, "
            + "provider_cache_savings_nano_usd, gateway_cache_savings_nano_usd, usage_estimated";

    private RollupBackfill() {
    }

    /** Runs inside the migration's transaction; returns the number of ledger rows read. */
    public static long run(Connection c, boolean postgres) throws SQLException {
        RollupTable table = new RollupTable(postgres);
        RollupDeltas deltas = new RollupDeltas();
        String sql = "SELECT request_id, " + RollupTable.CELL_COLUMNS + ", " + SUM_SOURCES
                + " FROM ledger ORDER BY request_id, attempt";
        long rows = 0;
        int cellColumns = RollupCell.DIMENSIONS.length + 2;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                String current = null;
                List<RollupCell> cells = new ArrayList<>();
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!id.equals(current)) {
                        current = id;
                        cells = new ArrayList<>();
                        if (deltas.size() >= FLUSH_CELLS) {
                            table.write(c, deltas); // between requests: a request's terms are never split
                            deltas.clear();
                        }
                    }
                    RollupCell cell = RollupTable.cell(rs, 2);
                    deltas.add(cells, cell, sums(rs, 2 + cellColumns, cell));
                    rows++;
                }
            }
        }
        table.write(c, deltas);
        return rows;
    }

    private static long[] sums(ResultSet rs, int from, RollupCell cell) throws SQLException {
        long[] s = new long[RollupDeltas.SUMS];
        int i = from;
        s[1] = 1;
        s[2] = rs.getLong(i++);
        s[3] = rs.getLong(i++);
        long total = rs.getLong(i++);
        long fiveMinutes = rs.getLong(i++);
        long oneHour = rs.getLong(i++);
        s[4] = RollupDeltas.write5m(total, fiveMinutes, oneHour);
        s[5] = oneHour;
        s[6] = rs.getLong(i++);
        s[7] = rs.getLong(i++);
        s[8] = rs.getLong(i++);
        s[9] = rs.getLong(i++);
        s[10] = rs.getLong(i++);
        s[11] = rs.getLong(i++);
        s[12] = rs.getBoolean(i) ? 1 : 0;
        int status = Integer.parseInt(cell.values()[RollupCell.STATUS]);
        s[13] = status >= 400 || cell.values()[RollupCell.STATUS + 1] != null ? 1 : 0;
        return s;
    }
}
