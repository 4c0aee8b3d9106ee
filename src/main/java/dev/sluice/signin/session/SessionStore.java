package dev.sluice.signin.session;

import dev.sluice.signin.store.SigninDb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The live sign-ins: durable in {@code signin_sessions}, shared by every replica on the database, and
 * mirrored in memory ({@link SessionMirror}) so the request path never waits on the database.
 *
 * <p>Writes (sign-in, refresh, sign-out, revocation) go to the database first, in versioned
 * transactions, then into this process's mirror at once. Other replicas learn of them at their next
 * {@link #sync()}: the upkeep thread runs it every sync period (1 s by default), so a revocation made
 * on one replica is refused by every other within one sync period plus one read. A restart reloads
 * the mirror before serving, so developers stay signed in.
 *
 * <p>A session opened on another replica a moment ago, and not yet read here, is the one case the
 * mirror cannot answer; {@link #mayBeNew} says whether a verified token's session can be that
 * (issued after the last catch-up began, and not known as revoked).
 *
 * <p>Bounded: at most {@code maxPerUser} sessions per developer (the oldest is revoked) and
 * {@code maxTotal} overall (new sign-ins are refused past it). Expired rows are swept by the upkeep.
 * The write methods block: call them from worker threads.
 */
public final class SessionStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionStore.class);
    /** Clock difference between replicas the "opened elsewhere a moment ago" rule tolerates. */
    static final long SKEW_MS = 5_000;
    private static final int PAGE = 5_000;

    private final SigninDb db;
    private final Clock clock;
    private final Duration refreshLifetime;
    private final Duration reuseGrace;
    private final Duration tokenLifetime;
    private final int maxPerUser;
    private final int maxTotal;
    private final SessionMirror mirror = new SessionMirror();
    private long appliedSeq = -1; // upkeep thread only
    private volatile long caughtUpFromMs = Long.MAX_VALUE;

    /**
     * @param reuseGrace how long after a rotation the rotated refresh token still gets the same successor instead of
     *                   revoking the session ({@link #refresh(String, UnaryOperator)}); zero: never
     */
    public SessionStore(SigninDb db, Clock clock, Duration refreshLifetime, Duration reuseGrace, Duration tokenLifetime,
                        int maxPerUser, int maxTotal) {
        this.db = db;
        this.clock = clock;
        this.refreshLifetime = refreshLifetime;
        this.reuseGrace = reuseGrace;
        this.tokenLifetime = tokenLifetime;
        this.maxPerUser = maxPerUser;
        this.maxTotal = maxTotal;
    }

    // ---- the request path: memory only ----

    /** The live session with this id, or null. */
    public Session get(String sid) {
        return sid == null ? null : mirror.live(sid);
    }

    /**
     * True when a validly signed token issued at {@code issuedAtMs} may belong to a session this replica
     * has not read yet: issued after the last catch-up began (less the skew) and not in the future.
     */
    public boolean mayBeNew(String sid, long issuedAtMs) {
        return !mirror.revoked(sid) && issuedAtMs >= caughtUpFromMs - SKEW_MS && issuedAtMs <= clock.millis() + SKEW_MS;
    }

    /** The IdP groups a developer had at their latest sign-in (empty when unknown): for per-group policy. */
    public List<String> groups(String userId) {
        return userId == null ? List.of() : mirror.groups(userId);
    }

    /** Remembers groups read from a verified token whose session is not mirrored yet. */
    void noteGroups(String userId, List<String> groups, long asOfMs) {
        mirror.noteGroups(userId, groups, asOfMs);
    }

    public int size() {
        return mirror.size();
    }

    // ---- writes: blocking ----

    /** A new session and its first refresh token, or null when the store is full. */
    public Issued open(SignedInUser user, String surface) {
        String refresh = Secrets.random(32);
        Instant now = clock.instant();
        Opened o = db.versioned("open a session", (c, seq) -> {
            if (SessionTable.countLive(c, now.toEpochMilli()) >= maxTotal) {
                return null;
            }
            List<SessionTable.Row> mine = SessionTable.liveOf(c, user.userId(), now.toEpochMilli());
            List<SessionTable.Row> dropped = new java.util.ArrayList<>();
            for (int i = 0; i <= mine.size() - maxPerUser; i++) {
                SessionTable.revoke(c, mine.get(i).session().sid(), now.toEpochMilli(), seq);
                dropped.add(mine.get(i));
            }
            Session s = new Session(Secrets.random(16), user, surface, now, Secrets.digest(refresh), now.plus(refreshLifetime), seq);
            SessionTable.insert(c, s);
            return new Opened(s, dropped, seq);
        });
        if (o == null) {
            return null;
        }
        for (SessionTable.Row d : o.dropped) {
            mirror.apply(withSeq(d.session(), o.seq), now.toEpochMilli(), tombUntil(now.toEpochMilli()));
        }
        mirror.apply(o.session, null, 0);
        return new Issued(o.session, refresh);
    }

    /**
     * Swaps a refresh token for a new one (each works once). Null when the token is unknown, used,
     * expired, or its session was revoked: the token endpoint answers {@code invalid_grant}.
     *
     * <p>A token this session already rotated away from, presented again, means two parties hold the
     * session (one copied the token): the whole session is revoked, so both must sign in again
     * (OAuth 2.0 Security BCP, refresh token rotation), and the reuse is logged. Except within the reuse grace
     * after the rotation, while the successor is still the session's token: then it is a second process of the same
     * developer that read the same credentials file before the first wrote the new token back (parallel Claude Code
     * sessions refreshing at once), or a client retrying a refresh whose answer it lost. That presenter gets the same
     * successor (and a new access token), so every holder ends up with the one current token, as the OAuth providers'
     * reuse intervals do. A thief replaying a token a minute later still ends the session.
     */
    public Issued refresh(String refreshToken) {
        return refresh(refreshToken, UnaryOperator.identity());
    }

    /**
     * As {@link #refresh(String)}, re-reading the developer first: {@code current} gives who they are
     * in the directory now (the renewed session carries it), or null to end the session (user
     * deleted or disabled). Blocking: {@code current} may read the database.
     */
    public Issued refresh(String refreshToken, UnaryOperator<SignedInUser> current) {
        String next = Secrets.random(32);
        Instant now = clock.instant();
        String digest = Secrets.digest(refreshToken);
        SessionTable.Row found = db.run("find a session by refresh token", c -> SessionTable.byRefresh(c, digest));
        SignedInUser user = null;
        if (found != null && found.revokedMs() == null && now.isBefore(found.session().refreshExpires())) {
            user = current.apply(found.session().user());
            if (user == null) {
                LOG.info("refresh refused: {} is no longer in the directory or is disabled; session {} ended",
                        found.session().user().userId(), found.session().sid());
                revoke(found.session().sid());
                return null;
            }
        }
        SignedInUser renewedUser = user;
        Refreshed done = db.versioned("refresh a session", (c, seq) -> {
            SessionTable.Row row = SessionTable.byRefresh(c, digest);
            if (row == null) {
                SessionTable.Rotated rotated = SessionTable.rotatedAway(c, digest, now.toEpochMilli());
                if (rotated == null) {
                    return null;
                }
                Refreshed again = sameSuccessor(c, refreshToken, rotated, now);
                if (again != null) {
                    return again;
                }
                if (SessionTable.revoke(c, rotated.sid(), now.toEpochMilli(), seq)) {
                    return new Refreshed(null, SessionTable.bySid(c, rotated.sid()), null);
                }
                return null;
            }
            if (row.revokedMs() != null) {
                return null;
            }
            Session s = row.session();
            if (!now.isBefore(s.refreshExpires())) {
                SessionTable.revoke(c, s.sid(), now.toEpochMilli(), seq);
                return null;
            }
            if (renewedUser == null || !s.sid().equals(found.session().sid())) {
                return null; // changed since the read above: a concurrent refresh won
            }
            Session r = new Session(s.sid(), renewedUser, s.surface(), s.createdAt(), Secrets.digest(next), now.plus(refreshLifetime), seq);
            if (!SessionTable.rotate(c, r, s.refreshDigest())) {
                return null;
            }
            SessionTable.rememberRotated(c, s.refreshDigest(), s.sid(), s.refreshExpires().toEpochMilli(), now.toEpochMilli(),
                    reuseGrace.isZero() ? null : Successor.seal(refreshToken, next));
            return new Refreshed(r, null, next);
        });
        if (done == null) {
            return null;
        }
        if (done.reused != null) {
            Session s = done.reused.session();
            LOG.warn("refresh token reused after rotation: session {} of {} revoked (the token was copied, or the client"
                    + " retried a refresh); both holders must sign in again", s.sid(), s.user().userId());
            mirror.apply(s, done.reused.revokedMs(), tombUntil(done.reused.revokedMs()));
            return null;
        }
        mirror.apply(done.renewed, null, 0);
        return new Issued(done.renewed, done.refreshToken);
    }

    /**
     * The session's current refresh token again, for a rotated token presented within the reuse grace while its
     * successor is still the session's live token; null otherwise (a reuse).
     */
    private Refreshed sameSuccessor(java.sql.Connection c, String rotatedToken, SessionTable.Rotated rotated, Instant now)
            throws java.sql.SQLException {
        if (rotated.rotatedMs() == null || now.toEpochMilli() - rotated.rotatedMs() > reuseGrace.toMillis()) {
            return null;
        }
        String successor = Successor.open(rotatedToken, rotated.sealedSuccessor());
        if (successor == null) {
            return null;
        }
        SessionTable.Row current = SessionTable.byRefresh(c, Secrets.digest(successor));
        if (current == null || current.revokedMs() != null || !current.session().sid().equals(rotated.sid())
                || !now.isBefore(current.session().refreshExpires())) {
            return null; // rotated again since, or ended: the grace covers one race, not a chain
        }
        LOG.info("refresh token presented again {} ms after its rotation (session {} of {}): the same new token given again",
                now.toEpochMilli() - rotated.rotatedMs(), rotated.sid(), current.session().user().userId());
        return new Refreshed(current.session(), null, successor);
    }

    /** A refresh's outcome: the renewed session and the refresh token to hand out, or the session a reuse revoked. */
    private record Refreshed(Session renewed, SessionTable.Row reused, String refreshToken) {
    }

    /** Ends the session a refresh token belongs to (sign-out); false when it was not live. */
    public boolean revokeByRefresh(String refreshToken) {
        SessionTable.Row row = db.run("find a session by refresh token", c -> SessionTable.byRefresh(c, Secrets.digest(refreshToken)));
        return row != null && revoke(row.session().sid());
    }

    /** Ends one session; false when it was not live. */
    public boolean revoke(String sid) {
        long now = clock.millis();
        SessionTable.Row row = db.versioned("revoke a session", (c, seq) ->
                SessionTable.revoke(c, sid, now, seq) ? SessionTable.bySid(c, sid) : null);
        if (row == null) {
            return false;
        }
        mirror.apply(row.session(), row.revokedMs(), tombUntil(now));
        return true;
    }

    /** Ends every session of a developer; returns how many. */
    public int revokeUser(String userId) {
        long now = clock.millis();
        List<SessionTable.Row> rows = db.versioned("revoke a developer's sessions", (c, seq) -> SessionTable.revokeUser(c, userId, now, seq));
        rows.forEach(r -> mirror.apply(r.session(), r.revokedMs(), tombUntil(now)));
        return rows.size();
    }

    // ---- upkeep: blocking ----

    /**
     * Catches up with every replica's writes: all current rows on the first call, then only rows
     * written since. Cheap when nothing changed (one indexed read).
     */
    public void sync() {
        long started = clock.millis();
        if (appliedSeq < 0) {
            long version = db.version(); // read first: every write up to it is committed and in the read below
            List<SessionTable.Row> rows = db.run("load sessions", c -> SessionTable.current(c, started,
                    started - tokenLifetime.toMillis()));
            rows.forEach(this::apply);
            appliedSeq = version;
        } else {
            List<SessionTable.Row> page;
            do {
                long from = appliedSeq;
                page = db.run("read changed sessions", c -> SessionTable.since(c, from, PAGE));
                for (SessionTable.Row r : page) {
                    apply(r);
                    appliedSeq = Math.max(appliedSeq, r.session().seq());
                }
            } while (page.size() == PAGE);
        }
        mirror.expire(clock.millis());
        caughtUpFromMs = started;
    }

    /** Deletes rows no token can belong to any more; returns how many. */
    public int sweep() {
        long now = clock.millis();
        return db.run("sweep sessions", c -> SessionTable.sweep(c, now, now - tokenLifetime.toMillis() - SKEW_MS));
    }

    private void apply(SessionTable.Row r) {
        mirror.apply(r.session(), r.revokedMs(), r.revokedMs() == null ? 0 : tombUntil(r.revokedMs()));
    }

    private long tombUntil(long revokedMs) {
        return revokedMs + tokenLifetime.toMillis() + SKEW_MS;
    }

    private static Session withSeq(Session s, long seq) {
        return new Session(s.sid(), s.user(), s.surface(), s.createdAt(), s.refreshDigest(), s.refreshExpires(), seq);
    }

    private record Opened(Session session, List<SessionTable.Row> dropped, long seq) {
    }

    /** A session and the refresh token that goes with it (shown once, stored as a digest). */
    public record Issued(Session session, String refreshToken) {
    }
}
