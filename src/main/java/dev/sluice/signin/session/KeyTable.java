package dev.sluice.signin.session;

import dev.sluice.signin.store.SigninDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Rows of {@code signin_keys}, newest first. Blocking JDBC. */
final class KeyTable {
    private KeyTable() {
    }

    /** One stored key; {@code secret} is base64url. */
    record Row(String kid, String secret, long notBeforeMs, long createdMs) {
    }

    static List<Row> all(Connection c) throws SQLException {
        return SigninDb.query(c, "SELECT kid, secret, not_before_ms, created_ms FROM signin_keys ORDER BY not_before_ms DESC, kid",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }

    static void insert(Connection c, Row r) throws SQLException {
        SigninDb.update(c, "INSERT INTO signin_keys (kid, secret, not_before_ms, created_ms) VALUES (?, ?, ?, ?)",
                r.kid(), r.secret(), r.notBeforeMs(), r.createdMs());
    }

    static void delete(Connection c, String kid) throws SQLException {
        SigninDb.update(c, "DELETE FROM signin_keys WHERE kid = ?", kid);
    }
}
