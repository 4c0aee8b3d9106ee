package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Latency and errors for the dashboard. Percentiles need every value, which SQL cannot give both stores the same
 * cheap way, so they come from a bounded sample: the newest {@value #SAMPLE} upstream attempts of the period (one
 * index range scan), and the page says how many it read. Errors are counted by the spend report grouped by status
 * and error type, the same numbers {@code sluice report --by status,error_type} gives.
 */
final class LatencyData {
    static final int SAMPLE = 10_000;
    private static final int ERROR_ROWS = 20;

    private final DataSource db;
    private final SpendReports reports;

    LatencyData(DataSource db, SpendReports reports) {
        this.db = db;
        this.reports = reports;
    }

    ObjectNode summary(ReportPeriod p) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        SpendData.period(out, p);
        long[][] sample = sample(p);
        out.put("sample", sample[0].length).put("sample_limit", SAMPLE);
        percentiles(out.putObject("gateway_ms"), sample[0]);
        percentiles(out.putObject("upstream_ms"), sample[1]);
        percentiles(out.putObject("ttfb_ms"), sample[2]);
        ArrayNode errors = out.putArray("errors");
        reports.forEachRow(new SpendQuery(List.of("status", "error_type"), p.since(), null, Map.of()), r -> {
            String status = r.group().get("status");
            boolean failed = r.group().get("error_type") != null || status != null && Integer.parseInt(status) >= 400;
            if (failed && errors.size() < ERROR_ROWS) {
                errors.addObject().put("status", status).put("error_type", r.group().get("error_type"))
                        .put("requests", r.requests()).put("attempts", r.attempts());
            }
        });
        return out;
    }

    /** gateway, upstream duration and time to first byte of the newest attempts that went upstream (attempt 0 is a cache hit). */
    private long[][] sample(ReportPeriod p) {
        long[][] v = new long[3][SAMPLE];
        int n = 0;
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT gateway_ms, latency_ms, ttfb_ms FROM ledger WHERE ts_ms >= ? "
                     + "AND attempt > 0 ORDER BY ts_ms DESC LIMIT ?")) {
            ps.setLong(1, p.since().toEpochMilli());
            ps.setInt(2, SAMPLE); // in the text, so PostgreSQL plans a walk of the time index that stops there
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && n < SAMPLE) {
                    v[0][n] = rs.getLong(1);
                    v[1][n] = rs.getLong(2);
                    v[2][n] = rs.getLong(3);
                    n++;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("latency sample: query failed: " + e.getMessage(), e);
        }
        return new long[][] {Arrays.copyOf(v[0], n), Arrays.copyOf(v[1], n), Arrays.copyOf(v[2], n)};
    }

    /** Nearest-rank percentiles; ttfb is -1 where none was measured (a whole answer), and those are left out. */
    static void percentiles(ObjectNode out, long[] values) {
        long[] v = Arrays.stream(values).filter(x -> x >= 0).sorted().toArray();
        for (int pct : new int[] {50, 95, 99}) {
            out.put("p" + pct, v.length == 0 ? null : v[Math.max(0, (int) Math.ceil(pct / 100.0 * v.length) - 1)]);
        }
        out.put("max", v.length == 0 ? null : v[v.length - 1]);
    }
}
