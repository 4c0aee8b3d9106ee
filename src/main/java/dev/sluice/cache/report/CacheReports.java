package dev.sluice.cache.report;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Cache reports over the ledger: per group, requests answered by the gateway's cache (ledger attempt 0 with
 * status {@code hit} or {@code semantic}) against those looked up and sent upstream ({@code miss},
 * {@code refresh}), in requests and in prompt tokens, with the dollars saved. Read-only, like the spend
 * reports, so {@code sluice report --cache} can run beside a live gateway.
 */
public final class CacheReports {
    private static final Map<String, String> COLUMNS = Map.of("org", "org_id", "team", "team_id", "user", "user_id",
            "key", "key_id", "model", "COALESCE(served_model, requested_model)", "day", "day", "month", "SUBSTR(day, 1, 7)",
            "client", "client");

    private static final String WRITES = "CASE WHEN cache_creation_tokens > cache_creation_5m_tokens + cache_creation_1h_tokens "
            + "THEN cache_creation_tokens ELSE cache_creation_5m_tokens + cache_creation_1h_tokens END";
    private static final String LOOKED_UP = "cache_status IN ('miss', 'refresh')";
    private static final String SUMS = "COUNT(DISTINCT request_id), "
            + "COALESCE(SUM(CASE WHEN attempt = 0 AND cache_status = 'hit' THEN 1 ELSE 0 END), 0), "
            + "COALESCE(SUM(CASE WHEN attempt = 0 AND cache_status = 'semantic' THEN 1 ELSE 0 END), 0), "
            + "COUNT(DISTINCT CASE WHEN " + LOOKED_UP + " THEN request_id END), "
            + "COUNT(DISTINCT CASE WHEN cache_status = 'bypass' THEN request_id END), "
            + "COALESCE(SUM(cache_saved_input_tokens), 0), COALESCE(SUM(cache_saved_output_tokens), 0), "
            + "COALESCE(SUM(CASE WHEN " + LOOKED_UP + " THEN input_tokens + cache_read_tokens + " + WRITES + " ELSE 0 END), 0), "
            + "COALESCE(SUM(gateway_cache_savings_nano_usd), 0), COALESCE(SUM(provider_cache_savings_nano_usd), 0), "
            + "COALESCE(SUM(cost_nano_usd), 0)";
    private static final int SUM_COLUMNS = 11;
    private static final int SAVINGS_COLUMN = 9; // SUM(gateway_cache_savings_nano_usd) among the sums, 1-based

    private final DataSource dataSource;
    private final boolean postgres;

    public CacheReports(Database db) {
        this(db.dataSource(), db.isPostgres());
    }

    CacheReports(DataSource dataSource, boolean postgres) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.postgres = postgres;
    }

    /** Rows ordered by dollars saved, highest first, then by group. */
    public List<CacheReportRow> report(CacheQuery q) {
        List<Object> params = new ArrayList<>();
        String sql = sql(q, params);
        List<CacheReportRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(q.groupBy(), rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cache report " + q.groupBy() + ": query failed: " + e.getMessage(), e);
        }
        return rows;
    }

    String sql(CacheQuery q, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String d : q.groupBy()) {
            sql.append(expression(d, params)).append(", ");
        }
        sql.append(SUMS).append(" FROM ledger WHERE endpoint = 'messages'");
        if (q.since() != null) {
            sql.append(" AND ts_ms >= ?");
            params.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND ts_ms < ?");
            params.add(q.until().toEpochMilli());
        }
        int dims = q.groupBy().size();
        if (dims > 0) {
            // Ordinals: a tag expression carries a bound parameter that PostgreSQL would not match between clauses.
            sql.append(" GROUP BY ").append(ordinals(dims));
        }
        sql.append(" ORDER BY ").append(dims + SAVINGS_COLUMN).append(" DESC");
        if (dims > 0) {
            sql.append(", ").append(ordinals(dims));
        }
        return sql.toString();
    }

    private String expression(String dimension, List<Object> params) {
        String tag = CacheQuery.tagOf(dimension);
        if (tag == null) {
            return COLUMNS.get(dimension);
        }
        if (postgres) {
            params.add(tag);
            return "(tags ->> CAST(? AS TEXT))";
        }
        params.add("$.\"" + tag + "\"");
        return "json_extract(tags, ?)";
    }

    private static String ordinals(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            s.append(i == 1 ? "" : ", ").append(i);
        }
        return s.toString();
    }

    private static CacheReportRow row(List<String> dims, ResultSet rs) throws SQLException {
        Map<String, String> group = new LinkedHashMap<>();
        int col = 1;
        for (String d : dims) {
            group.put(d, rs.getString(col++));
        }
        long[] s = new long[SUM_COLUMNS];
        for (int i = 0; i < SUM_COLUMNS; i++) {
            s[i] = rs.getLong(col++);
        }
        return new CacheReportRow(Collections.unmodifiableMap(group), s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                s[9], s[10]);
    }
}
