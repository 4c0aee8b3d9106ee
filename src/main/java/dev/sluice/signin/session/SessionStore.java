package dev.sluice.signin.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sign-ins, in memory: session id → session, refresh-token digest → session id.
 *
 * <p>A session token is accepted only while its session is here, which is what makes sign-out
 * (RFC 7009 revocation) and revoking a developer take effect on the very next request, with a map
 * lookup and no network or database call. The price: sessions live in this process, so a restart
 * or a second replica signs developers out (their next request is a 401 and the CLI asks them to
 * {@code /login} again; it fails closed). A shared store is the seam for several replicas.
 *
 * <p>Bounded: at most {@code maxPerUser} sessions per developer (the oldest goes first) and
 * {@code maxTotal} overall (new sign-ins are refused past it). Expired sessions are swept.
 */
public final class SessionStore {
    private final Clock clock;
    private final Duration refreshLifetime;
    private final int maxPerUser;
    private final int maxTotal;
    private final Map<String, Session> bySid = new ConcurrentHashMap<>();
    private final Map<String, String> sidByRefresh = new ConcurrentHashMap<>();
    private final Map<String, List<String>> groupsByUser = new ConcurrentHashMap<>();

    public SessionStore(Clock clock, Duration refreshLifetime, int maxPerUser, int maxTotal) {
        this.clock = clock;
        this.refreshLifetime = refreshLifetime;
        this.maxPerUser = maxPerUser;
        this.maxTotal = maxTotal;
    }

    /** A new session and its first refresh token, or null when the store is full. */
    public synchronized Issued open(SignedInUser user, String surface) {
        sweep();
        if (bySid.size() >= maxTotal) {
            return null;
        }
        List<Session> mine = bySid.values().stream().filter(s -> s.user().userId().equals(user.userId()))
                .sorted(Comparator.comparing(Session::createdAt)).toList();
        for (int i = 0; i <= mine.size() - maxPerUser; i++) {
            drop(mine.get(i));
        }
        String refresh = Secrets.random(32);
        Instant now = clock.instant();
        Session s = new Session(Secrets.random(16), user, user.identity(), surface, now, Secrets.digest(refresh),
                now.plus(refreshLifetime));
        bySid.put(s.sid(), s);
        sidByRefresh.put(s.refreshDigest(), s.sid());
        groupsByUser.put(user.userId(), user.groups());
        return new Issued(s, refresh);
    }

    /** The live session with this id, or null. */
    public Session get(String sid) {
        return sid == null ? null : bySid.get(sid);
    }

    /**
     * Swaps a refresh token for a new one (each works once). Null when the token is unknown, used,
     * expired, or its session was revoked: the token endpoint answers {@code invalid_grant}.
     */
    public synchronized Issued refresh(String refreshToken) {
        String sid = sidByRefresh.remove(Secrets.digest(refreshToken));
        Session s = sid == null ? null : bySid.get(sid);
        if (s == null) {
            return null;
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.refreshExpires())) {
            drop(s);
            return null;
        }
        String next = Secrets.random(32);
        Session renewed = s.withRefresh(Secrets.digest(next), now.plus(refreshLifetime));
        bySid.put(sid, renewed);
        sidByRefresh.put(renewed.refreshDigest(), sid);
        return new Issued(renewed, next);
    }

    /** Ends the session a refresh token belongs to (sign-out); false when it was not live. */
    public synchronized boolean revokeByRefresh(String refreshToken) {
        String sid = sidByRefresh.get(Secrets.digest(refreshToken));
        return sid != null && revoke(sid);
    }

    /** Ends one session; false when it was not live. */
    public synchronized boolean revoke(String sid) {
        Session s = bySid.get(sid);
        if (s == null) {
            return false;
        }
        drop(s);
        return true;
    }

    /** Ends every session of a developer; returns how many. */
    public synchronized int revokeUser(String userId) {
        List<Session> mine = bySid.values().stream().filter(s -> s.user().userId().equals(userId)).toList();
        mine.forEach(this::drop);
        return mine.size();
    }

    /** The IdP groups a developer had at their latest sign-in (empty when unknown): for per-group policy. */
    public List<String> groups(String userId) {
        return userId == null ? List.of() : groupsByUser.getOrDefault(userId, List.of());
    }

    public int size() {
        return bySid.size();
    }

    /** Drops sessions whose refresh token has expired (their access tokens expired before it). */
    public synchronized void sweep() {
        Instant now = clock.instant();
        for (Session s : List.copyOf(bySid.values())) {
            if (!now.isBefore(s.refreshExpires())) {
                drop(s);
            }
        }
    }

    private void drop(Session s) {
        bySid.remove(s.sid());
        sidByRefresh.remove(s.refreshDigest());
    }

    /** A session and the refresh token that goes with it (shown once, stored as a digest). */
    public record Issued(Session session, String refreshToken) {
    }
}
