package dev.sluice.signin.oauth;

import dev.sluice.signin.store.SigninDb;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows of {@code signin_device_grants}. Every change is one conditional statement, so two replicas
 * (or two polls) racing on a grant cannot both win: the one whose statement changed the row did.
 */
final class GrantTable {
    private static final String COLUMNS = "device_digest, user_code, surface, state, expires_ms, interval_ms, last_poll_ms, user_json,"
            + " created_ms, client_address, client_agent, confirm_digest";

    private GrantTable() {
    }

    /**
     * A stored grant. {@code userJson} is the developer once approved, or while {@code confirmDigest} is set the
     * developer the IdP signed in, waiting for their confirmation on the verification page.
     */
    record Row(String deviceDigest, String userCode, String surface, String state, long expiresMs, long intervalMs,
               String userJson, long createdMs, String clientAddress, String clientAgent, String confirmDigest) {
    }

    static void insert(Connection c, Row r) throws SQLException {
        SigninDb.update(c, "INSERT INTO signin_device_grants (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.deviceDigest(), r.userCode(), r.surface(), r.state(), r.expiresMs(), r.intervalMs(), null, null,
                r.createdMs(), r.clientAddress(), r.clientAgent(), null);
    }

    static long countPending(Connection c, long now) throws SQLException {
        return SigninDb.one(c, "SELECT COUNT(*) FROM signin_device_grants WHERE state = 'pending' AND expires_ms > ?",
                rs -> rs.getLong(1), now);
    }

    static Row byDevice(Connection c, String digest) throws SQLException {
        return SigninDb.one(c, "SELECT " + COLUMNS + " FROM signin_device_grants WHERE device_digest = ?", GrantTable::row, digest);
    }

    static Row pendingByUserCode(Connection c, String userCode, long now) throws SQLException {
        return SigninDb.one(c, "SELECT " + COLUMNS + " FROM signin_device_grants WHERE user_code = ? AND state = 'pending'"
                + " AND expires_ms > ?", GrantTable::row, userCode, now);
    }

    /** Settles a pending, unexpired grant as approved (with the developer) or denied. */
    static boolean settle(Connection c, String digest, String state, String userJson, long now) throws SQLException {
        return SigninDb.update(c, "UPDATE signin_device_grants SET state = ?, user_json = ?"
                + " WHERE device_digest = ? AND state = 'pending' AND expires_ms > ?", state, userJson, digest, now) == 1;
    }

    /**
     * Puts the signed-in developer beside a pending grant until they confirm. The first sign-in held for a code wins:
     * a later one (someone else who learnt the code while it was pending) is refused instead of replacing it, so the
     * developer's Approve cannot be swapped for another account's. The grant stays pending, so polls keep hearing
     * {@code authorization_pending}.
     */
    static boolean awaitConfirmation(Connection c, String digest, String userJson, String confirmDigest, long now)
            throws SQLException {
        return SigninDb.update(c, "UPDATE signin_device_grants SET user_json = ?, confirm_digest = ?"
                + " WHERE device_digest = ? AND state = 'pending' AND confirm_digest IS NULL AND expires_ms > ?",
                userJson, confirmDigest, digest, now) == 1;
    }

    /** Settles a pending grant as approved or denied, only for the confirmation it is waiting for (one statement: once). */
    static boolean settleConfirmed(Connection c, String digest, String confirmDigest, String state, long now) throws SQLException {
        return SigninDb.update(c, "UPDATE signin_device_grants SET state = ?, confirm_digest = NULL WHERE device_digest = ?"
                + " AND state = 'pending' AND confirm_digest = ? AND expires_ms > ?", state, digest, confirmDigest, now) == 1;
    }

    /** Removes a settled grant; true for the one caller that removed it (an approval is handed out once). */
    static boolean take(Connection c, String digest, String state) throws SQLException {
        return SigninDb.update(c, "DELETE FROM signin_device_grants WHERE device_digest = ? AND state = ?", digest, state) == 1;
    }

    /** Records an on-time poll; false when the previous one was less than four fifths of the interval ago. */
    static boolean onTime(Connection c, String digest, long now) throws SQLException {
        return SigninDb.update(c, "UPDATE signin_device_grants SET last_poll_ms = ? WHERE device_digest = ? AND state = 'pending'"
                + " AND (last_poll_ms IS NULL OR last_poll_ms + interval_ms * 4 / 5 <= ?)", now, digest, now) == 1;
    }

    static void slowDown(Connection c, String digest, long now, long stepMs) throws SQLException {
        SigninDb.update(c, "UPDATE signin_device_grants SET interval_ms = interval_ms + ?, last_poll_ms = ?"
                + " WHERE device_digest = ? AND state = 'pending'", stepMs, now, digest);
    }

    static int sweep(Connection c, long expiredBefore) throws SQLException {
        return SigninDb.update(c, "DELETE FROM signin_device_grants WHERE expires_ms < ?", expiredBefore);
    }

    private static Row row(java.sql.ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                rs.getString(8), rs.getLong(9), rs.getString(10), rs.getString(11), rs.getString(12));
    }
}
