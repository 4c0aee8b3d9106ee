package dev.sluice.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One request's ledger records, for the caller who made it: how a client learns what a stream cost
 * (its cost is only known after the headers went out). Blocking; run it off the event loop.
 */
public final class CallLookup {
    private static final ObjectMapper JSON = dev.sluice.wire.Json.MAPPER;
    private static final String SQL = "SELECT attempt, ts_ms, status, error_type, requested_model, served_model, provider, "
            + "input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cache_creation_5m_tokens, "
            + "cache_creation_1h_tokens, usage_estimated, cost_nano_usd, provider_cache_savings_nano_usd, "
            + "gateway_cache_savings_nano_usd, cache_status, latency_ms, ttfb_ms, gateway_ms, stream, upstream_key_alias, "
            + "guard_verdict, default_priced FROM ledger WHERE request_id = ? AND key_id = ? ORDER BY attempt";

    private final DataSource db;

    public CallLookup(DataSource db) {
        this.db = db;
    }

    /** The request's attempts as JSON, or null when there is none for this key (unknown, or someone else's). */
    public ObjectNode find(String requestId, String keyId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, requestId);
            ps.setString(2, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                ObjectNode out = JSON.createObjectNode().put("request_id", requestId);
                ArrayNode attempts = out.putArray("attempts");
                long total = 0;
                while (rs.next()) {
                    total += rs.getLong("cost_nano_usd");
                    attempts.add(attempt(rs));
                }
                if (attempts.isEmpty()) {
                    return null;
                }
                out.put("cost_usd", usd(total));
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ledger lookup failed: " + e.getMessage(), e);
        }
    }

    private static ObjectNode attempt(ResultSet rs) throws SQLException {
        ObjectNode a = JSON.createObjectNode();
        a.put("attempt", rs.getInt("attempt"));
        a.put("time", java.time.Instant.ofEpochMilli(rs.getLong("ts_ms")).toString());
        a.put("status", rs.getInt("status"));
        a.put("error_type", rs.getString("error_type"));
        a.put("guard_verdict", rs.getString("guard_verdict")); // issue 12: what the guard flagged or redacted, if anything
        a.put("requested_model", rs.getString("requested_model"));
        a.put("served_model", rs.getString("served_model"));
        a.put("provider", rs.getString("provider"));
        a.put("upstream_key_alias", rs.getString("upstream_key_alias"));
        ObjectNode usage = a.putObject("usage");
        usage.put("input_tokens", rs.getLong("input_tokens"));
        usage.put("output_tokens", rs.getLong("output_tokens"));
        usage.put("cache_creation_input_tokens", rs.getLong("cache_creation_tokens"));
        usage.put("cache_read_input_tokens", rs.getLong("cache_read_tokens"));
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", rs.getLong("cache_creation_5m_tokens"))
                .put("ephemeral_1h_input_tokens", rs.getLong("cache_creation_1h_tokens"));
        a.put("usage_estimated", rs.getBoolean("usage_estimated")); // BOOLEAN on PostgreSQL, 0/1 on SQLite: both read as booleans
        a.put("cost_usd", usd(rs.getLong("cost_nano_usd")));
        a.put("default_priced", rs.getBoolean("default_priced")); // the model was not in the price table: a placeholder rate
        a.put("provider_cache_savings_usd", usd(rs.getLong("provider_cache_savings_nano_usd")));
        a.put("gateway_cache_savings_usd", usd(rs.getLong("gateway_cache_savings_nano_usd")));
        a.put("cache", rs.getString("cache_status"));
        a.put("latency_ms", rs.getLong("latency_ms"));
        a.put("ttfb_ms", rs.getLong("ttfb_ms"));
        a.put("gateway_ms", rs.getLong("gateway_ms"));
        a.put("stream", rs.getBoolean("stream"));
        return a;
    }

    private static String usd(long nano) {
        return BigDecimal.valueOf(nano, 9).stripTrailingZeros().toPlainString();
    }
}
