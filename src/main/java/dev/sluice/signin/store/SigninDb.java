package dev.sluice.signin.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.store.Database;
import dev.sluice.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Transactions over the sign-in tables (Flyway {@code V3__signin.sql}).
 *
 * <p>{@link #versioned} is how replicas stay in step without a message bus: its first statement bumps
 * {@code signin_version} and the new value becomes the {@code seq} of every row it writes. That first
 * write takes PostgreSQL's row lock (SQLite's write lock) before anything is read, so versioned
 * writers are serialised and commit in seq order; a replica that has applied every row up to seq N
 * therefore catches up with {@code WHERE seq > N} and can never miss an earlier commit. It also spares
 * SQLite the read-to-write lock upgrade that fails at once instead of waiting.
 *
 * <p>{@link #run} is for reads and for single conditional statements (device grants, login flows),
 * whose one statement is its own transaction.
 */
public final class SigninDb {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<TreeMap<String, String>> TAGS = new TypeReference<>() { };

    /** Work on a connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work inside a versioned transaction; {@code seq} is the version this transaction writes. */
    public interface Versioned<T> {
        T run(Connection c, long seq) throws SQLException;
    }

    /** Maps the current row. */
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    public SigninDb(Database db) {
        this(Objects.requireNonNull(db, "db").dataSource());
    }

    public SigninDb(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Statements in auto-commit mode: each is its own transaction. */
    public <T> T run(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    /** One transaction that first bumps {@code signin_version}; the work gets the new version as its seq. */
    public <T> T versioned(String what, Versioned<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long seq = bump(c);
                T result = work.run(c, seq);
                c.commit();
                dev.sluice.store.TransactionEnd.end(c, false, auto, null);
                return result;
            } catch (SQLException | RuntimeException e) {
                dev.sluice.store.TransactionEnd.end(c, true, auto, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    /** The version last written by any replica. */
    public long version() {
        return run("read the sign-in version", c -> one(c, "SELECT version FROM signin_version WHERE id = 1",
                rs -> rs.getLong(1)));
    }

    private static long bump(Connection c) throws SQLException {
        update(c, "UPDATE signin_version SET version = version + 1 WHERE id = 1");
        return one(c, "SELECT version FROM signin_version WHERE id = 1", rs -> rs.getLong(1));
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    /** The first row, or null. */
    public static <T> T one(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? row.map(rs) : null;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, p.toString());
            }
        }
        return ps;
    }

    /** A nullable BIGINT column. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static List<String> strings(String json) {
        try {
            return json == null ? List.of() : List.copyOf(Json.MAPPER.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sign-in store: a list column is not a JSON array of strings", e);
        }
    }

    public static Map<String, String> tags(String json) {
        try {
            return json == null ? Map.of() : Map.copyOf(Json.MAPPER.readValue(json, TAGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("sign-in store: a tags column is not a JSON object of strings", e);
        }
    }

    /** The sign-in store could not be read or written; the message names what was being done. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String what, SQLException cause) {
            super("sign-in store: " + what + ": " + cause.getMessage(), cause);
        }
    }
}
