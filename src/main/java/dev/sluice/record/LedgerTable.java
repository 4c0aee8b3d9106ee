package dev.sluice.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.wire.Usage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Inserts ledger rows: one JDBC batch, one transaction, {@code ON CONFLICT DO NOTHING} on the idempotency key. */
final class LedgerTable {

    private static final JsonFactory JSON = dev.sluice.wire.Json.FACTORY;

    private static final String COLUMNS = "request_id, attempt, ts_ms, day, key_id, key_alias, user_id, team_id, org_id, "
            + "tags, session_id, client, endpoint, requested_model, served_model, provider, upstream_key_alias, status, "
            + "error_type, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cache_creation_5m_tokens, "
            + "cache_creation_1h_tokens, web_search_requests, web_fetch_requests, usage_estimated, cost_nano_usd, "
            + "provider_cache_savings_nano_usd, gateway_cache_savings_nano_usd, cache_status, latency_ms, ttfb_ms, "
            + "gateway_ms, stream, cache_saved_input_tokens, cache_saved_output_tokens, guard_verdict, default_priced";

    private final DataSource dataSource;
    private final String insertSql;
    private final RollupTable rollup;

    LedgerTable(DataSource dataSource, boolean postgres) {
        this(dataSource, postgres, new RollupTable(postgres));
    }

    /** With {@code rollup} (tests: a SQLite rollup that remembers few ids). */
    LedgerTable(DataSource dataSource, boolean postgres, RollupTable rollup) {
        this.dataSource = dataSource;
        String tags = postgres ? "CAST(? AS jsonb)" : "?";
        this.insertSql = "INSERT INTO ledger (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " + tags
                + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (request_id, attempt) DO NOTHING";
        this.rollup = rollup;
    }

    /**
     * Inserts all of {@code records} in one transaction, with their sums in the daily rollup (only for records the
     * ledger did not hold, so a replay adds nothing); on failure nothing is inserted.
     */
    void insert(List<LedgerRecord> records) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(insertSql)) {
                RollupDeltas deltas = rollup.prepare(c, records);
                for (LedgerRecord r : records) {
                    bind(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
                rollup.write(c, deltas);
                c.commit();
                rollup.committed(records);
                dev.sluice.store.TransactionEnd.end(c, false, true, null);
            } catch (SQLException | RuntimeException e) {
                rollup.forget();
                dev.sluice.store.TransactionEnd.end(c, true, true, e);
                throw e;
            }
        }
    }

    /** The database may hold what this writer does not know of (a commit into a replaced file): see {@link LedgerIds}. */
    void forgetIds() {
        rollup.forget();
    }

    private static void bind(PreparedStatement ps, LedgerRecord r) throws SQLException {
        Usage u = r.usage();
        int i = 1;
        ps.setString(i++, text(r.requestId()));
        ps.setInt(i++, r.attempt());
        ps.setLong(i++, r.time().toEpochMilli());
        ps.setString(i++, UtcDay.of(r.time()));
        setText(ps, i++, r.keyId());
        setText(ps, i++, r.keyAlias());
        setText(ps, i++, r.userId());
        setText(ps, i++, r.teamId());
        setText(ps, i++, r.orgId());
        ps.setString(i++, tagsJson(r.tags()));
        setText(ps, i++, r.sessionId());
        setText(ps, i++, r.client());
        setText(ps, i++, r.endpoint());
        setText(ps, i++, r.requestedModel());
        setText(ps, i++, r.servedModel());
        setText(ps, i++, r.provider());
        setText(ps, i++, r.upstreamKeyAlias());
        ps.setInt(i++, r.status());
        setText(ps, i++, r.errorType());
        ps.setLong(i++, u.inputTokens());
        ps.setLong(i++, u.outputTokens());
        ps.setLong(i++, u.cacheCreationInputTokens());
        ps.setLong(i++, u.cacheReadInputTokens());
        ps.setLong(i++, u.cacheCreation5m());
        ps.setLong(i++, u.cacheCreation1h());
        ps.setLong(i++, u.webSearchRequests());
        ps.setLong(i++, u.webFetchRequests());
        ps.setBoolean(i++, r.usageEstimated());
        ps.setLong(i++, r.costNanoUsd());
        ps.setLong(i++, r.providerCacheSavingsNanoUsd());
        ps.setLong(i++, r.gatewayCacheSavingsNanoUsd());
        setText(ps, i++, r.cacheStatus());
        ps.setLong(i++, r.latencyMs());
        ps.setLong(i++, r.ttfbMs());
        ps.setLong(i++, r.gatewayMs());
        ps.setBoolean(i++, r.stream());
        ps.setLong(i++, r.cacheSavedInputTokens());
        ps.setLong(i++, r.cacheSavedOutputTokens());
        setText(ps, i++, r.guardVerdict());
        ps.setBoolean(i, r.defaultPriced());
    }

    private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, text(value));
        }
    }

    /**
     * PostgreSQL rejects NUL in text and jsonb, and client-supplied strings (tags, session ids) can carry one;
     * a single such record would otherwise block the writer. Both dialects store the same replacement so
     * reports agree.
     */
    static String text(String s) {
        return s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }

    static String tagsJson(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "{}";
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : tags.entrySet()) {
                g.writeStringField(text(e.getKey()), text(e.getValue()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
