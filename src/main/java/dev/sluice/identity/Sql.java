package dev.sluice.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Transactions and column helpers shared by the identity tables.
 *
 * <p>Every write transaction starts by bumping {@code identity_version}. That one statement does two jobs: gateways
 * polling the row learn that keys changed, and the row lock (PostgreSQL) or write lock (SQLite) taken up front
 * serializes identity writers, so a "does this id exist?" check followed by an insert cannot race another writer,
 * and SQLite never has to upgrade a read lock mid-transaction (which fails at once instead of waiting).
 */
final class Sql {
    private static final ObjectMapper JSON = dev.sluice.wire.Json.MAPPER;
    private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() { };

    /** Work inside a transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final boolean postgres;
    /** Who writes, when each write must leave a {@code store_changes} row ({@link StoreChanges}); null: it need not. */
    private final String recorder;
    private final java.time.Clock clock;

    Sql(DataSource dataSource, boolean postgres) {
        this(dataSource, postgres, null, java.time.Clock.systemUTC());
    }

    private Sql(DataSource dataSource, boolean postgres, String recorder, java.time.Clock clock) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** The same database, each write recorded as made by {@code who}. */
    Sql recordingAs(String who, java.time.Clock clock) {
        return new Sql(dataSource, postgres, who, clock);
    }

    <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    <T> T write(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                update(c, "UPDATE identity_version SET version = version + 1 WHERE id = 1");
                T result = work.run(c);
                if (recorder != null) {
                    StoreChanges.record(c, clock.millis(), recorder, what);
                }
                c.commit();
                dev.sluice.store.TransactionEnd.end(c, false, auto, null);
                return result;
            } catch (SQLException | RuntimeException e) {
                dev.sluice.store.TransactionEnd.end(c, true, auto, e); // the first failure is the one reported
                throw e;
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** The SQL for a tags parameter: PostgreSQL needs the text cast to jsonb. */
    String jsonParam() {
        return postgres ? "CAST(? AS jsonb)" : "?";
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean exists(Connection c, String table, String id) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM " + table + " WHERE id = ?", id) > 0;
    }

    /** Binds in order; a null binds as SQL NULL (typed BIGINT for Longs, which both drivers need). */
    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof NullLong) {
                ps.setNull(i + 1, Types.BIGINT);
            } else if (p == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else if (p instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    /** A nullable long parameter: the value, or a marker that binds as a BIGINT NULL. */
    static Object nullable(Long v) {
        return v == null ? NullLong.INSTANCE : v;
    }

    static Object millis(Instant t) {
        return nullable(t == null ? null : t.toEpochMilli());
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        Long ms = getLong(rs, column);
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    static String tagsJson(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags: cannot encode " + tags, e);
        }
    }

    static Map<String, String> tags(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Map.copyOf(JSON.readValue(json, TAGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags column: not a JSON object of strings: " + json, e);
        }
    }

    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("identity store: " + what + " failed: " + e.getMessage(), e);
    }

    private enum NullLong { INSTANCE }
}
