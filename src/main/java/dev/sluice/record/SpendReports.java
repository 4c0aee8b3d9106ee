package dev.sluice.record;

import dev.sluice.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Spend and usage queries over the ledger: whole UTC days from its exact daily rollup ({@code spend_daily}, kept
 * by the ledger writer), the rest from its rows. Read-only and needs no writer, so the {@code report} CLI can
 * use it beside a running gateway.
 */
public final class SpendReports {

    /** Column expressions for the plain dimensions; identical in both dialects. */
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("org", "org_id"), Map.entry("team", "team_id"), Map.entry("user", "user_id"),
            Map.entry("key", "key_id"), Map.entry("key_alias", "key_alias"),
            Map.entry("model", "COALESCE(served_model, requested_model)"), Map.entry("requested_model", "requested_model"),
            Map.entry("provider", "provider"), Map.entry("upstream_key", "upstream_key_alias"),
            Map.entry("session", "session_id"), Map.entry("day", "day"), Map.entry("month", "SUBSTR(day, 1, 7)"),
            Map.entry("client", "client"), Map.entry("endpoint", "endpoint"), Map.entry("cache_status", "cache_status"),
            Map.entry("status", "status"), Map.entry("error_type", "error_type"));

    /** Billed 5-minute writes per record: all writes (the larger of the total and the TTL breakdown) minus 1-hour writes. */
    private static final String WRITE_5M = "CASE WHEN cache_creation_tokens > cache_creation_5m_tokens + cache_creation_1h_tokens "
            + "THEN cache_creation_tokens ELSE cache_creation_5m_tokens + cache_creation_1h_tokens END - cache_creation_1h_tokens";

    // Requests, not attempts: a request retried or fallen back has one record per attempt (one request id).
    private static final String SUMS = "COUNT(DISTINCT request_id), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), "
            + "COALESCE(SUM(" + WRITE_5M + "), 0), COALESCE(SUM(cache_creation_1h_tokens), 0), "
            + "COALESCE(SUM(cache_read_tokens), 0), COALESCE(SUM(web_search_requests), 0), "
            + "COALESCE(SUM(web_fetch_requests), 0), COALESCE(SUM(cost_nano_usd), 0), "
            + "COALESCE(SUM(provider_cache_savings_nano_usd), 0), COALESCE(SUM(gateway_cache_savings_nano_usd), 0), "
            + "COALESCE(SUM(CASE WHEN usage_estimated THEN 1 ELSE 0 END), 0), "
            + "COALESCE(SUM(CASE WHEN status >= 400 OR error_type IS NOT NULL THEN 1 ELSE 0 END), 0), COUNT(*)";
    private static final int SUM_COLUMNS = 14;
    private static final int COST_COLUMN_OFFSET = 9; // position of SUM(cost_nano_usd) among the sums, 1-based

    private final DataSource dataSource;
    private final boolean postgres;
    private final RollupQuery rollup; // null: scan the ledger itself, as before the rollup (tests compare the two)

    public SpendReports(Database db) {
        this(db.dataSource(), db.isPostgres());
    }

    SpendReports(DataSource dataSource, boolean postgres) {
        this(dataSource, postgres, true);
    }

    SpendReports(DataSource dataSource, boolean postgres, boolean useRollup) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.postgres = postgres;
        this.rollup = useRollup ? new RollupQuery(postgres) : null;
    }

    public List<SpendRow> report(SpendQuery q) {
        List<SpendRow> rows = new ArrayList<>();
        forEachRow(q, rows::add);
        return rows;
    }

    /** Streams the rows as CSV without holding them all in memory. */
    public void exportCsv(SpendQuery q, Writer out) {
        SpendCsv csv = new SpendCsv(out, q.groupBy());
        try {
            csv.header();
            forEachRow(q, csv::row);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSV export: cannot write", e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("CSV export: cannot write", e.getCause());
        }
    }

    /** Rows ordered by cost, highest first, then by the group values. */
    public void forEachRow(SpendQuery q, Consumer<SpendRow> sink) {
        List<Object> params = new ArrayList<>();
        String sql = sql(q, params);
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            if (postgres) {
                c.setAutoCommit(false); // lets the driver stream with a fetch size instead of buffering the result
            }
            Throwable failed = null;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(q.groupBy(), rs));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                failed = e;
                throw e;
            } finally {
                if (postgres) {
                    dev.sluice.store.TransactionEnd.end(c, true, auto, failed);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("spend report " + q.groupBy() + ": query failed: " + e.getMessage(), e);
        }
    }

    /** Whole UTC days from the daily rollup and cut days from the ledger ({@link RollupQuery}), or all raw. */
    String sql(SpendQuery q, List<Object> params) {
        String fromRollup = rollup == null ? null : rollup.sql(q, params);
        return fromRollup != null ? fromRollup : rawSql(q, params);
    }

    private String rawSql(SpendQuery q, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String d : q.groupBy()) {
            sql.append(expression(d, params)).append(", ");
        }
        sql.append(SUMS).append(" FROM ledger WHERE 1 = 1");
        if (q.since() != null) {
            sql.append(" AND ts_ms >= ?");
            params.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND ts_ms < ?");
            params.add(q.until().toEpochMilli());
        }
        q.filters().forEach((d, v) -> {
            sql.append(" AND ").append(expression(d, params));
            if (v == null) {
                sql.append(" IS NULL");
            } else {
                sql.append(" = ?");
                params.add(d.equals("status") ? (Object) Integer.valueOf(v) : v);
            }
        });
        int dims = q.groupBy().size();
        if (dims > 0) {
            // Ordinals, not expressions: a tag expression carries a bound parameter, and PostgreSQL would not
            // recognise "tags ->> $1" in SELECT and "tags ->> $2" in GROUP BY as the same expression.
            sql.append(" GROUP BY ").append(ordinals(1, dims).replace(" NULLS LAST", ""));
        }
        sql.append(" ORDER BY ").append(dims + COST_COLUMN_OFFSET).append(" DESC");
        if (dims > 0) {
            sql.append(", ").append(ordinals(1, dims));
        }
        return sql.toString();
    }

    private String expression(String dimension, List<Object> params) {
        if (SpendQuery.isTag(dimension)) {
            String name = SpendQuery.tagName(dimension);
            if (postgres) {
                params.add(name);
                return "(tags ->> CAST(? AS TEXT))";
            }
            params.add("$.\"" + name + "\"");
            return "json_extract(tags, ?)";
        }
        return COLUMNS.get(dimension);
    }

    private static String ordinals(int from, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : ", ").append(from + i).append(" NULLS LAST");
        }
        return s.toString();
    }

    private static SpendRow row(List<String> dims, ResultSet rs) throws SQLException {
        Map<String, String> group = new LinkedHashMap<>();
        int col = 1;
        for (String d : dims) {
            group.put(d, rs.getString(col++));
        }
        long[] s = new long[SUM_COLUMNS];
        for (int i = 0; i < SUM_COLUMNS; i++) {
            s[i] = rs.getLong(col++);
        }
        return new SpendRow(Collections.unmodifiableMap(group), s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9],
                s[10], s[11], s[12], s[13]);
    }
}
