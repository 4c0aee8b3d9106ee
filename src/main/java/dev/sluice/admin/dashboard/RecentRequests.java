package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The latest requests of a period, one line per request (its attempts folded: cost summed, upstream time summed, the
 * last attempt's model, provider, cache status and status; latency is the attempts' time, or a cache hit's replay), newest first. Two bounded queries, both on indexes: the
 * newest records by time ({@code ledger_ts}, at most {@value #SCAN_PER_REQUEST} per request asked for), then every
 * attempt of the requests picked, by primary key, so a request's cost is whole even when its attempts straddled the
 * first query's cut. One request's attempts are {@link RequestAttempts}'.
 */
final class RecentRequests {
    static final int MAX_LIMIT = 200;
    static final int SCAN_PER_REQUEST = 4;
    private static final String COLUMNS = "request_id, attempt, ts_ms, key_id, key_alias, user_id, team_id, requested_model, "
            + "served_model, provider, cache_status, status, error_type, latency_ms, gateway_ms, cost_nano_usd";

    private final DataSource db;

    RecentRequests(DataSource db) {
        this.db = db;
    }

    ObjectNode latest(ReportPeriod p, int limit) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        SpendData.period(out, p);
        ArrayNode list = out.putArray("requests");
        try (Connection c = db.getConnection()) {
            List<String> ids = newestIds(c, p.since(), limit);
            Map<String, ObjectNode> byId = new LinkedHashMap<>();
            ids.forEach(id -> byId.put(id, null));
            fold(c, ids, byId);
            byId.values().stream().filter(n -> n != null).forEach(list::add);
        } catch (SQLException e) {
            throw new IllegalStateException("recent requests: query failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static List<String> newestIds(Connection c, Instant since, int limit) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        // LIMIT in the text, not setMaxRows: PostgreSQL plans a sort of the whole period without it (170 ms at 100k rows).
        try (PreparedStatement ps = c.prepareStatement("SELECT request_id FROM ledger WHERE ts_ms >= ? ORDER BY ts_ms DESC LIMIT ?")) {
            ps.setLong(1, since.toEpochMilli());
            ps.setInt(2, limit * SCAN_PER_REQUEST);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return new ArrayList<>(ids);
    }

    private static void fold(Connection c, List<String> ids, Map<String, ObjectNode> byId) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ledger WHERE request_id IN (" + marks
                + ") ORDER BY request_id, attempt")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("request_id");
                    ObjectNode n = byId.get(id);
                    if (n == null) {
                        n = Json.MAPPER.createObjectNode().put("request_id", id)
                                .put("time", Instant.ofEpochMilli(rs.getLong("ts_ms")).toString())
                                .put("key_id", rs.getString("key_id")).put("key_alias", rs.getString("key_alias"))
                                .put("user", rs.getString("user_id")).put("team", rs.getString("team_id"))
                                .put("attempts", 0).put("latency_ms", 0L).put("gateway_ms", 0L).put("cost_nano", 0L);
                        byId.put(id, n);
                    }
                    String served = rs.getString("served_model");
                    n.put("attempts", n.get("attempts").asInt() + 1)
                            .put("model", served != null ? served : rs.getString("requested_model"))
                            .put("requested_model", rs.getString("requested_model")).put("provider", rs.getString("provider"))
                            .put("cache", rs.getString("cache_status")).put("status", rs.getInt("status"))
                            .put("error_type", rs.getString("error_type"))
                            .put("latency_ms", n.get("latency_ms").asLong() + rs.getLong("latency_ms"))
                            .put("gateway_ms", Math.max(n.get("gateway_ms").asLong(), rs.getLong("gateway_ms")))
                            .put("cost_nano", n.get("cost_nano").asLong() + rs.getLong("cost_nano_usd"));
                }
            }
        }
        for (ObjectNode n : byId.values()) {
            if (n != null) {
                n.put("cost_usd", SpendData.usd(n.remove("cost_nano").asLong()));
            }
        }
    }
}
