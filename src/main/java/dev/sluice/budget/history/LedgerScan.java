package dev.sluice.budget.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** Streams the ledger's records between two instants in time order, for the dry run. */
public final class LedgerScan {
    private static final String SQL = "SELECT ts_ms, request_id, attempt, key_id, key_alias, user_id, team_id, org_id, tags, "
            + "COALESCE(served_model, requested_model), input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, "
            + "cache_creation_5m_tokens, cache_creation_1h_tokens, web_search_requests, web_fetch_requests, cost_nano_usd "
            + "FROM ledger WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, request_id, attempt";

    private final DataSource dataSource;
    private final boolean postgres;

    public LedgerScan(DataSource dataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.postgres = postgres;
    }

    public void scan(Instant since, Instant until, Consumer<SpendEvent> sink) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            if (postgres) {
                c.setAutoCommit(false); // streams with the fetch size instead of buffering everything
            }
            Throwable failed = null;
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setFetchSize(1000);
                ps.setLong(1, since.toEpochMilli());
                ps.setLong(2, until.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(event(rs));
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
            throw new IllegalStateException("budget dry run: ledger scan failed: " + e.getMessage(), e);
        }
    }

    private static SpendEvent event(ResultSet rs) throws SQLException {
        Identity who = new Identity(rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                tags(rs.getString(9)));
        Usage u = new Usage(rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                rs.getLong(17), rs.getLong(18));
        return new SpendEvent(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getInt(3), who, rs.getString(10), u, rs.getLong(19));
    }

    static Map<String, String> tags(String json) {
        if (json == null || json.length() <= 2) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Map.of();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                out.put(k, p.getValueAsString());
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }
}
