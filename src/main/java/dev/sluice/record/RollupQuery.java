package dev.sluice.record;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A spend report's SQL over {@code spend_daily} for the whole UTC days of its period, and over raw ledger rows for
 * the parts of days it cuts. The period [since, until) becomes:
 * <pre>
 *   since        W0 (next midnight)                 until   W1 (midnight after until)
 *     |— P: raw, added —|— A: rollup days ………………………………|— X: raw, taken off —|
 * </pre>
 * Sums are A + P − X. Distinct requests are A's (exact by inclusion–exclusion, {@link RollupDeltas}) + P's, less
 * each (request, group) counted in both P and A∖X, less each counted in A only through rows in X. Those two
 * corrections read raw rows of P and X only. The dashboard's periods start at midnight and run to now (no P, no X);
 * {@code --since 30d} has a P of part of a day. A period inside one day, or with no whole day, is read raw.
 */
final class RollupQuery {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    /** SpendRow's sums, in its order, over rollup rows. */
    private static final String ROLLUP_SUMS = "SUM(requests), SUM(input_tokens), SUM(output_tokens), "
            + "SUM(cache_write_5m_tokens), SUM(cache_write_1h_tokens), SUM(cache_read_tokens), SUM(web_search_requests), "
            + "SUM(web_fetch_requests), SUM(cost_nano_usd), SUM(provider_cache_savings_nano_usd), "
            + "SUM(gateway_cache_savings_nano_usd), SUM(estimated_requests), SUM(error_requests), SUM(attempts)";
    private static final String RAW_ZEROS = ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0";
    static final int SUMS = 14;

    private final boolean postgres;

    RollupQuery(boolean postgres) {
        this.postgres = postgres;
    }

    /** The query's SQL, or null when the period has no whole day to read from the rollup. */
    String sql(SpendQuery q, List<Object> params) {
        Instant w0 = q.since() == null ? null : ceilDay(q.since());
        Instant w1 = q.until() == null ? null : ceilDay(q.until());
        if (w0 != null && w1 != null && !w0.isBefore(w1)) {
            return null;
        }
        boolean p = q.since() != null && !q.since().equals(w0);
        boolean x = q.until() != null && !q.until().equals(w1);
        int n = q.groupBy().size();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 1; i <= n; i++) {
            sql.append('g').append(i).append(", ");
        }
        for (int i = 1; i <= SUMS; i++) {
            sql.append(i == 1 ? "" : ", ").append("COALESCE(SUM(s").append(i).append("), 0)");
        }
        sql.append(" FROM (");
        rollupPart(sql, params, q, w0, w1);
        if (p) {
            sql.append(" UNION ALL ");
            rawPart(sql, params, q, q.since(), w0, "COUNT(DISTINCT l.request_id), " + rawSums("") );
            sql.append(" UNION ALL ");
            // A request counted in P and again in the rollup through rows in [W0, until).
            correction(sql, params, q, q.since(), w0, w0, q.until(), true);
        }
        if (x) {
            sql.append(" UNION ALL ");
            rawPart(sql, params, q, q.until(), w1, "0, " + rawSums("-"));
            sql.append(" UNION ALL ");
            // A request the rollup counted only through rows in X, after until.
            correction(sql, params, q, q.until(), w1, w0, q.until(), false);
        }
        sql.append(") u");
        if (n > 0) {
            sql.append(" GROUP BY ");
            for (int i = 1; i <= n; i++) {
                sql.append(i == 1 ? "" : ", ").append('g').append(i);
            }
            // A group whose rollup rows are all taken off again by X has no record in the period: no row, as raw.
            sql.append(" HAVING SUM(s").append(SUMS).append(") <> 0");
        }
        sql.append(" ORDER BY ").append(n + 9).append(" DESC");
        for (int i = 1; i <= n; i++) {
            sql.append(", ").append(i).append(" NULLS LAST");
        }
        return sql.toString();
    }

    private void rollupPart(StringBuilder sql, List<Object> params, SpendQuery q, Instant w0, Instant w1) {
        sql.append("SELECT ");
        int g = 1;
        for (String d : q.groupBy()) {
            sql.append(rollupExpression(d, params)).append(" AS g").append(g++).append(", ");
        }
        String[] sums = ROLLUP_SUMS.split(", ");
        for (int i = 0; i < SUMS; i++) {
            sql.append(i == 0 ? "" : ", ").append(sums[i]).append(" AS s").append(i + 1);
        }
        sql.append(" FROM spend_daily WHERE (differs & ?) = 0");
        Set<String> used = new LinkedHashSet<>(q.groupBy());
        used.addAll(q.filters().keySet());
        params.add(mask(used));
        if (used.contains("month")) {
            sql.append(" AND SUBSTR(day, 1, 7) = SUBSTR(day_hi, 1, 7)");
        }
        for (String d : used) {
            if (SpendQuery.isTag(d)) {
                // A meet whose cells disagree on this tag has no single value for it: it is in no group of it.
                sql.append(" AND ").append(tagOf("tags_differ", SpendQuery.tagName(d), params)).append(" IS NULL");
            }
        }
        if (w0 != null) {
            sql.append(" AND day >= ?");
            params.add(DAY.format(w0));
        }
        if (w1 != null) {
            sql.append(" AND day_hi < ?");
            params.add(DAY.format(w1));
        }
        for (Map.Entry<String, String> f : q.filters().entrySet()) {
            sql.append(" AND ").append(rollupExpression(f.getKey(), params));
            filterValue(sql, params, f.getKey(), f.getValue());
        }
        groupByOrdinals(sql, q.groupBy().size());
    }

    /** Raw rows with ts in [from, to), grouped, with the given sum expressions. */
    private void rawPart(StringBuilder sql, List<Object> params, SpendQuery q, Instant from, Instant to, String sums) {
        sql.append("SELECT ");
        for (String d : q.groupBy()) {
            sql.append(rawExpression(d, "l", params)).append(", ");
        }
        sql.append(sums).append(" FROM ledger l WHERE l.ts_ms >= ? AND l.ts_ms < ?");
        params.add(from.toEpochMilli());
        params.add(to.toEpochMilli());
        rawFilters(sql, params, q, "l");
        groupByOrdinals(sql, q.groupBy().size());
    }

    /**
     * Minus one per (request, group) with rows in [from, to) that has (exists) or has not (!exists) rows of the same
     * group in [otherFrom, otherTo); a null bound is open.
     */
    private void correction(StringBuilder sql, List<Object> params, SpendQuery q, Instant from, Instant to,
                            Instant otherFrom, Instant otherTo, boolean exists) {
        sql.append("SELECT ");
        for (String d : q.groupBy()) {
            sql.append(rawExpression(d, "l", params)).append(", ");
        }
        sql.append("-COUNT(DISTINCT l.request_id)").append(RAW_ZEROS).append(" FROM ledger l WHERE l.ts_ms >= ? AND l.ts_ms < ?");
        params.add(from.toEpochMilli());
        params.add(to.toEpochMilli());
        rawFilters(sql, params, q, "l");
        sql.append(exists ? " AND EXISTS" : " AND NOT EXISTS")
                .append(" (SELECT 1 FROM ledger m")
                // Each probe must walk the request's few primary-key entries, never a period through the time index.
                .append(postgres ? "" : " INDEXED BY sqlite_autoindex_ledger_1")
                .append(" WHERE m.request_id = l.request_id");
        if (otherFrom != null) {
            sql.append(" AND +m.ts_ms >= ?");
            params.add(otherFrom.toEpochMilli());
        }
        if (otherTo != null) {
            sql.append(" AND +m.ts_ms < ?");
            params.add(otherTo.toEpochMilli());
        }
        rawFilters(sql, params, q, "m");
        for (String d : q.groupBy()) {
            sql.append(" AND ").append(rawExpression(d, "m", params))
                    .append(postgres ? " IS NOT DISTINCT FROM " : " IS ").append(rawExpression(d, "l", params));
        }
        sql.append(')');
        groupByOrdinals(sql, q.groupBy().size());
    }

    private void rawFilters(StringBuilder sql, List<Object> params, SpendQuery q, String alias) {
        for (Map.Entry<String, String> f : q.filters().entrySet()) {
            sql.append(" AND ").append(rawExpression(f.getKey(), alias, params));
            filterValue(sql, params, f.getKey(), f.getValue());
        }
    }

    private static void filterValue(StringBuilder sql, List<Object> params, String d, String v) {
        if (v == null) {
            sql.append(" IS NULL");
        } else {
            sql.append(" = ?");
            params.add(d.equals("status") ? (Object) Integer.valueOf(v) : v);
        }
    }

    private static void groupByOrdinals(StringBuilder sql, int n) {
        if (n > 0) {
            sql.append(" GROUP BY ");
            for (int i = 1; i <= n; i++) {
                sql.append(i == 1 ? "" : ", ").append(i);
            }
        }
    }

    /** The sums of raw rows aliased {@code l}, each with {@code sign}; SpendReports' sums less the request count. */
    private static String rawSums(String sign) {
        String write5m = "CASE WHEN l.cache_creation_tokens > l.cache_creation_5m_tokens + l.cache_creation_1h_tokens "
                + "THEN l.cache_creation_tokens ELSE l.cache_creation_5m_tokens + l.cache_creation_1h_tokens END - l.cache_creation_1h_tokens";
        List<String> e = List.of("l.input_tokens", "l.output_tokens", write5m, "l.cache_creation_1h_tokens",
                "l.cache_read_tokens", "l.web_search_requests", "l.web_fetch_requests", "l.cost_nano_usd",
                "l.provider_cache_savings_nano_usd", "l.gateway_cache_savings_nano_usd",
                "CASE WHEN l.usage_estimated THEN 1 ELSE 0 END",
                "CASE WHEN l.status >= 400 OR l.error_type IS NOT NULL THEN 1 ELSE 0 END", "1");
        List<String> out = new ArrayList<>();
        for (String s : e) {
            out.add(sign + "SUM(" + s + ")");
        }
        return String.join(", ", out);
    }

    private String rollupExpression(String d, List<Object> params) {
        if (SpendQuery.isTag(d)) {
            return tagOf("tags", SpendQuery.tagName(d), params);
        }
        return switch (d) {
            case "day" -> "day";
            case "month" -> "SUBSTR(day, 1, 7)";
            default -> column(d);
        };
    }

    private String rawExpression(String d, String alias, List<Object> params) {
        if (SpendQuery.isTag(d)) {
            return tagOf(alias + ".tags", SpendQuery.tagName(d), params);
        }
        return switch (d) {
            case "day" -> alias + ".day";
            case "month" -> "SUBSTR(" + alias + ".day, 1, 7)";
            case "model" -> "COALESCE(" + alias + ".served_model, " + alias + ".requested_model)";
            default -> alias + "." + column(d);
        };
    }

    private String tagOf(String column, String name, List<Object> params) {
        if (postgres) {
            params.add(name);
            return "(" + column + " ->> CAST(? AS TEXT))";
        }
        params.add("$.\"" + name + "\"");
        return "json_extract(" + column + ", ?)";
    }

    private static String column(String d) {
        for (String[] c : RollupCell.DIMENSIONS) {
            if (c[0].equals(d)) {
                return c[1];
            }
        }
        throw new IllegalArgumentException("dimension: " + d);
    }

    /** The differs bits a query must find clear: every plain dimension it groups or filters by, and the day. */
    private static int mask(Set<String> used) {
        int m = 0;
        for (String d : used) {
            if (d.equals("day")) {
                m |= RollupCell.DAY_BIT;
            }
            for (int i = 0; i < RollupCell.DIMENSIONS.length; i++) {
                if (RollupCell.DIMENSIONS[i][0].equals(d)) {
                    m |= 1 << i;
                }
            }
        }
        return m;
    }

    private static Instant ceilDay(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.DAYS);
        return floor.equals(t) ? t : floor.plus(Duration.ofDays(1));
    }
}
