package dev.sluice.budget.history;

import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Sums of the ledger grouped by org, an entity column and a time bucket, over one time range. */
public final class LedgerSpend {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    /** Prompt tokens as budgets count input: plain input, cache writes (the larger of total and TTL breakdown), cache reads. */
    private static final String PROMPT = "input_tokens + cache_read_tokens + CASE WHEN cache_creation_tokens > "
            + "cache_creation_5m_tokens + cache_creation_1h_tokens THEN cache_creation_tokens ELSE cache_creation_5m_tokens + "
            + "cache_creation_1h_tokens END";

    /**
     * The bucket that never straddles two calendar days of a named time zone: every zone's offset is a whole number of
     * quarter hours (India's +5:30, Nepal's +5:45), where an hour's bucket would hold the end of one local day and the
     * start of the next.
     */
    public static final long QUARTER_HOUR_MS = 900_000L;

    private final DataSource dataSource;
    private final boolean postgres;

    public LedgerSpend(DataSource dataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.postgres = postgres;
    }

    /**
     * One row per (org, entity, bucket).
     *
     * @param entity the entity's value, or null for every value
     * @param tag    the tag name for {@link Level#TAG}
     */
    public record Row(String org, String entity, long bucket, long costNanoUsd, long promptTokens, long outputTokens) {
        public long of(Metric m) {
            return switch (m) {
                case USD -> costNanoUsd;
                case INPUT_TOKENS -> promptTokens;
                case OUTPUT_TOKENS -> outputTokens;
                case TOTAL_TOKENS -> promptTokens + outputTokens;
            };
        }
    }

    /** Sums between {@code since} and {@code until}, grouped by the level's column and {@code ts_ms / bucketMillis}. */
    public List<Row> sums(Level level, String tag, String entity, Instant since, Instant until, long bucketMillis) {
        return sums(column(level, tag), entity, null, since, until, bucketMillis);
    }

    /** Per-user sums inside one entity of a level (a pool's members). */
    public List<Row> memberSums(Level level, String tag, String entity, Instant since, Instant until) {
        return sums("user_id", null, new String[] {column(level, tag), entity}, since, until, Long.MAX_VALUE / 4);
    }

    /**
     * Every attempt of one request summed (entity and bucket empty), or null when the ledger has none: what a request a
     * killed gateway left in flight cost, charged to counters that outlived it ({@code engine.CutRequests}).
     */
    public Row request(String requestId) {
        String sql = "SELECT org_id, SUM(cost_nano_usd), SUM(" + PROMPT + "), SUM(output_tokens) FROM ledger WHERE request_id = ?"
                + " GROUP BY org_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(rs.getString(1), "", 0, rs.getLong(2), rs.getLong(3), rs.getLong(4)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("budget history: ledger query failed: " + e.getMessage(), e);
        }
    }

    private List<Row> sums(String column, String entity, String[] filter, Instant since, Instant until, long bucketMillis) {
        String sql = "SELECT org_id, " + column + ", ts_ms / ?, SUM(cost_nano_usd), SUM(" + PROMPT + "), SUM(output_tokens) FROM ledger "
                + "WHERE ts_ms >= ? AND ts_ms < ?" + (entity == null ? "" : " AND " + column + " = ?")
                + (filter == null ? "" : " AND " + filter[0] + " = ?") + " GROUP BY 1, 2, 3";
        List<Row> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, bucketMillis);
            ps.setLong(i++, since.toEpochMilli());
            ps.setLong(i++, until.toEpochMilli());
            if (entity != null) {
                ps.setString(i++, entity);
            }
            if (filter != null) {
                ps.setString(i, filter[1]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        out.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("budget history: ledger query failed: " + e.getMessage(), e);
        }
        return out;
    }

    private String column(Level level, String tag) {
        return switch (level) {
            case ORG -> "org_id";
            case TEAM -> "team_id";
            case USER -> "user_id";
            case KEY -> "key_id";
            case TAG -> {
                if (tag == null || !TAG.matcher(tag).matches()) {
                    throw new IllegalArgumentException("tag: '" + tag + "' (expected: letters, digits, '_', '.', '-')");
                }
                // the name is validated above, so it may be spliced; a bound parameter would differ between SELECT and GROUP BY
                yield postgres ? "(tags ->> '" + tag + "')" : "json_extract(tags, '$.\"" + tag + "\"')";
            }
        };
    }
}
