package dev.sluice.signin.session;

import dev.sluice.signin.store.SigninDb;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Rows of {@code signin_sessions}. Blocking JDBC; writes happen inside {@link SigninDb#versioned}. */
final class SessionTable {
    private static final String COLUMNS = "sid, user_id, email, groups_json, team_id, org_id, tags_json, surface, created_ms,"
            + " refresh_digest, refresh_expires_ms, revoked_ms, seq";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM signin_sessions ";

    private SessionTable() {
    }

    /** A stored session; {@code revokedMs} is null while it is live. */
    record Row(Session session, Long revokedMs) {
    }

    static void insert(Connection c, Session s) throws SQLException {
        SignedInUser u = s.user();
        SigninDb.update(c, "INSERT INTO signin_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.sid(), u.userId(), u.email(), SigninDb.json(u.groups()), u.teamId(), u.orgId(), SigninDb.json(u.tags()),
                s.surface(), s.createdAt().toEpochMilli(), s.refreshDigest(), s.refreshExpires().toEpochMilli(), null, s.seq());
    }

    static Row byRefresh(Connection c, String digest) throws SQLException {
        return SigninDb.one(c, SELECT + "WHERE refresh_digest = ?", SessionTable::row, digest);
    }

    static Row bySid(Connection c, String sid) throws SQLException {
        return SigninDb.one(c, SELECT + "WHERE sid = ?", SessionTable::row, sid);
    }

    /** A developer's live sessions, oldest first. */
    static List<Row> liveOf(Connection c, String userId, long now) throws SQLException {
        return SigninDb.query(c, SELECT + "WHERE user_id = ? AND revoked_ms IS NULL AND refresh_expires_ms > ? ORDER BY created_ms, sid",
                SessionTable::row, userId, now);
    }

    static long countLive(Connection c, long now) throws SQLException {
        return SigninDb.one(c, "SELECT COUNT(*) FROM signin_sessions WHERE revoked_ms IS NULL AND refresh_expires_ms > ?",
                rs -> rs.getLong(1), now);
    }

    /** Swaps the refresh token (and writes the developer's current team, org and tags), only if it is still the current one of a live session. */
    static boolean rotate(Connection c, Session renewed, String previousDigest) throws SQLException {
        SignedInUser u = renewed.user();
        return SigninDb.update(c, "UPDATE signin_sessions SET refresh_digest = ?, refresh_expires_ms = ?, seq = ?,"
                        + " team_id = ?, org_id = ?, tags_json = ? WHERE sid = ? AND refresh_digest = ? AND revoked_ms IS NULL",
                renewed.refreshDigest(), renewed.refreshExpires().toEpochMilli(), renewed.seq(), u.teamId(), u.orgId(),
                SigninDb.json(u.tags()), renewed.sid(), previousDigest) == 1;
    }

    /**
     * Keeps a refresh token the session rotated away from, until it would have expired, to tell reuse from an unknown
     * token; with when it was rotated and its successor sealed under it ({@link Successor}), for the reuse grace.
     */
    static void rememberRotated(Connection c, String digest, String sid, long untilMs, long rotatedMs, String sealedSuccessor)
            throws SQLException {
        SigninDb.update(c, "INSERT INTO signin_refresh_used (digest, sid, until_ms, rotated_ms, successor) VALUES (?, ?, ?, ?, ?)",
                digest, sid, untilMs, rotatedMs, sealedSuccessor);
    }

    /** A refresh token a session rotated away from: when (null for rows older than the grace) and its sealed successor. */
    record Rotated(String sid, Long rotatedMs, String sealedSuccessor) {
    }

    /** The rotation away from this refresh token (while the token would still have worked by its lifetime), or null. */
    static Rotated rotatedAway(Connection c, String digest, long now) throws SQLException {
        return SigninDb.one(c, "SELECT sid, rotated_ms, successor FROM signin_refresh_used WHERE digest = ? AND until_ms > ?",
                rs -> new Rotated(rs.getString(1), SigninDb.nullableLong(rs, "rotated_ms"), rs.getString(3)), digest, now);
    }

    static boolean revoke(Connection c, String sid, long now, long seq) throws SQLException {
        return SigninDb.update(c, "UPDATE signin_sessions SET revoked_ms = ?, seq = ? WHERE sid = ? AND revoked_ms IS NULL",
                now, seq, sid) == 1;
    }

    /** Revokes every live session of a developer; returns them as revoked. */
    static List<Row> revokeUser(Connection c, String userId, long now, long seq) throws SQLException {
        SigninDb.update(c, "UPDATE signin_sessions SET revoked_ms = ?, seq = ? WHERE user_id = ? AND revoked_ms IS NULL",
                now, seq, userId);
        return SigninDb.query(c, SELECT + "WHERE user_id = ? AND seq = ?", SessionTable::row, userId, seq);
    }

    /** Rows written after version {@code seq}, in version order, at most {@code limit}. */
    static List<Row> since(Connection c, long seq, int limit) throws SQLException {
        return SigninDb.query(c, SELECT + "WHERE seq > ? ORDER BY seq LIMIT " + limit, SessionTable::row, seq);
    }

    /** What a starting replica needs: live sessions, and sessions revoked recently enough that their tokens may still come. */
    static List<Row> current(Connection c, long now, long revokedAfter) throws SQLException {
        return SigninDb.query(c, SELECT + "WHERE (revoked_ms IS NULL AND refresh_expires_ms > ?) OR revoked_ms > ?",
                SessionTable::row, now, revokedAfter);
    }

    /** Deletes sessions no token can belong to any more. */
    static int sweep(Connection c, long now, long revokedBefore) throws SQLException {
        int swept = SigninDb.update(c, "DELETE FROM signin_sessions WHERE refresh_expires_ms <= ? OR revoked_ms < ?", now, revokedBefore);
        SigninDb.update(c, "DELETE FROM signin_refresh_used WHERE until_ms <= ? OR sid NOT IN (SELECT sid FROM signin_sessions)", now);
        return swept;
    }

    private static Row row(ResultSet rs) throws SQLException {
        SignedInUser user = new SignedInUser(rs.getString("user_id"), rs.getString("email"), SigninDb.strings(rs.getString("groups_json")),
                rs.getString("team_id"), rs.getString("org_id"), SigninDb.tags(rs.getString("tags_json")));
        Session s = new Session(rs.getString("sid"), user, rs.getString("surface"), Instant.ofEpochMilli(rs.getLong("created_ms")),
                rs.getString("refresh_digest"), Instant.ofEpochMilli(rs.getLong("refresh_expires_ms")), rs.getLong("seq"));
        return new Row(s, SigninDb.nullableLong(rs, "revoked_ms"));
    }
}
