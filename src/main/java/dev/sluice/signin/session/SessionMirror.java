package dev.sluice.signin.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's copy of the session table, which the request path reads without locks: live
 * sessions by id, and tombstones for revoked ones until every token they had has expired (so a
 * revoked session is never mistaken for one opened a moment ago on another replica).
 *
 * <p>Rows arrive from this process's own writes and from the upkeep's catch-up reads, in any order;
 * each carries the store version that wrote it, and a row older than what is held is ignored, so a
 * slow catch-up read can never bring back a session revoked since. Writers synchronise; readers don't.
 */
final class SessionMirror {
    private final Map<String, Session> live = new ConcurrentHashMap<>();
    private final Map<String, Tomb> revoked = new ConcurrentHashMap<>();
    private final Map<String, Groups> groupsByUser = new ConcurrentHashMap<>();

    private record Tomb(long seq, long untilMs) {
    }

    private record Groups(long asOfMs, List<String> groups) {
    }

    Session live(String sid) {
        return live.get(sid);
    }

    boolean revoked(String sid) {
        return revoked.containsKey(sid);
    }

    int size() {
        return live.size();
    }

    /** Applies one stored row; {@code tombUntilMs} is how long a revoked row must be remembered. */
    synchronized void apply(Session s, Long revokedMs, long tombUntilMs) {
        Session current = live.get(s.sid());
        Tomb tomb = revoked.get(s.sid());
        long held = Math.max(current == null ? -1 : current.seq(), tomb == null ? -1 : tomb.seq());
        if (s.seq() <= held) {
            return;
        }
        if (revokedMs != null) {
            live.remove(s.sid());
            revoked.put(s.sid(), new Tomb(s.seq(), tombUntilMs));
        } else if (tomb == null) {
            live.put(s.sid(), s);
            noteGroups(s.user().userId(), s.user().groups(), s.createdAt().toEpochMilli());
        }
    }

    /** The IdP groups of a developer's latest sign-in, for per-group policy. */
    List<String> groups(String userId) {
        Groups g = groupsByUser.get(userId);
        return g == null ? List.of() : g.groups;
    }

    void noteGroups(String userId, List<String> groups, long asOfMs) {
        groupsByUser.compute(userId, (k, old) -> old != null && old.asOfMs > asOfMs ? old : new Groups(asOfMs, List.copyOf(groups)));
    }

    /** Forgets sessions whose refresh token has expired and tombstones no token can outlive. */
    synchronized void expire(long nowMs) {
        live.values().removeIf(s -> s.refreshExpires().toEpochMilli() <= nowMs);
        revoked.values().removeIf(t -> t.untilMs <= nowMs);
    }
}
