package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * One request's attempts for an operator, in the shape {@code GET /sluice/v1/requests/{id}} gives its caller, but for
 * any key (not {@code record.CallLookup}, which is bound to the caller's key). Flags are read with
 * {@code getBoolean}, which reads both stores' columns.
 */
final class RequestAttempts {
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    private static final String SQL = "SELECT attempt, ts_ms, key_id, key_alias, user_id, team_id, status, error_type, "
            + "requested_model, served_model, provider, upstream_key_alias, input_tokens, output_tokens, cache_creation_tokens, "
            + "cache_read_tokens, usage_estimated, cost_nano_usd, provider_cache_savings_nano_usd, gateway_cache_savings_nano_usd, "
            + "cache_status, latency_ms, ttfb_ms, gateway_ms, stream, guard_verdict FROM ledger WHERE request_id = ? ORDER BY attempt";

    private final DataSource db;

    RequestAttempts(DataSource db) {
        this.db = db;
    }

    /** The request's attempts, or a 404 when the ledger has none under that id. */
    ObjectNode find(String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw ApiError.invalidRequest("request id: \"" + Bounds.shown(requestId) + "\" (expected: 1 to 64 letters, digits, '_' or '-')");
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("request_id", requestId);
        ArrayNode attempts = out.putArray("attempts");
        long total = 0;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, requestId);
            ps.setMaxRows(100); // a request's attempts are bounded by its route's retry budget; this bounds the answer too
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (attempts.isEmpty()) {
                        out.put("key_id", rs.getString("key_id")).put("key_alias", rs.getString("key_alias"))
                                .put("user", rs.getString("user_id")).put("team", rs.getString("team_id"));
                    }
                    total += rs.getLong("cost_nano_usd");
                    attempts.add(attempt(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("request " + requestId + ": query failed: " + e.getMessage(), e);
        }
        if (attempts.isEmpty()) {
            throw ApiError.notFound("No ledger record for request " + requestId
                    + " (a request refused before it reached an upstream has none; the audit log keeps it)");
        }
        return out.put("cost_usd", SpendData.usd(total));
    }

    private static ObjectNode attempt(ResultSet rs) throws SQLException {
        ObjectNode a = Json.MAPPER.createObjectNode().put("attempt", rs.getInt("attempt"))
                .put("time", Instant.ofEpochMilli(rs.getLong("ts_ms")).toString()).put("status", rs.getInt("status"))
                .put("error_type", rs.getString("error_type")).put("guard_verdict", rs.getString("guard_verdict"))
                .put("requested_model", rs.getString("requested_model")).put("served_model", rs.getString("served_model"))
                .put("provider", rs.getString("provider")).put("upstream_key_alias", rs.getString("upstream_key_alias"));
        a.putObject("usage").put("input_tokens", rs.getLong("input_tokens")).put("output_tokens", rs.getLong("output_tokens"))
                .put("cache_creation_input_tokens", rs.getLong("cache_creation_tokens"))
                .put("cache_read_input_tokens", rs.getLong("cache_read_tokens"));
        return a.put("usage_estimated", rs.getBoolean("usage_estimated")).put("cost_usd", SpendData.usd(rs.getLong("cost_nano_usd")))
                .put("provider_cache_savings_usd", SpendData.usd(rs.getLong("provider_cache_savings_nano_usd")))
                .put("gateway_cache_savings_usd", SpendData.usd(rs.getLong("gateway_cache_savings_nano_usd")))
                .put("cache", rs.getString("cache_status")).put("latency_ms", rs.getLong("latency_ms"))
                .put("ttfb_ms", rs.getLong("ttfb_ms")).put("gateway_ms", rs.getLong("gateway_ms"))
                .put("stream", rs.getBoolean("stream"));
    }
}
