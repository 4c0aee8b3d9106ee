package dev.sluice.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Where each server-held thread lives: the upstream and key that answered a {@code thread} request, by the answer's
 * {@code id}, for the gateway key that asked. A continue must go back there: the upstream holds a thread in the
 * account (key) that answered it, and elsewhere says {@code thread_not_found}, after which the client replays the whole
 * conversation at full price. It is also who may continue it: every gateway key on an upstream shares its account, so
 * the upstream would continue any caller's thread for anyone who names its answer's id; only the key it was served to
 * finds it here, and a continue found nowhere is refused ({@code RouteStage}). Bounded like the {@link StickyTable}
 * (same size and idle time, least recently used first), kept per replica like it, outside configuration snapshots.
 */
final class ThreadHomes {
    private final Cache<String, StickyTable.Spot> homes;

    ThreadHomes(long maxEntries, Duration ttl) {
        this.homes = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterAccess(ttl).executor(Runnable::run).build();
    }

    /**
     * Where the answer {@code answerId} was served to {@code owner} (a gateway key's stable id), or null when not known
     * here: never served, served to another key, forgotten, or served by another replica or before a restart.
     */
    StickyTable.Spot get(String owner, String answerId) {
        return answerId == null ? null : homes.getIfPresent(key(owner, answerId));
    }

    /** Notes that {@code answerId} (at most {@link ThreadRequest#MAX_ID_CHARS} characters) was served to {@code owner} at {@code spot}. */
    void served(String owner, String answerId, StickyTable.Spot spot) {
        if (answerId != null && !answerId.isEmpty() && answerId.length() <= ThreadRequest.MAX_ID_CHARS) {
            homes.put(key(owner, answerId), spot);
        }
    }

    /**
     * Forgets {@code answerId} once a continue of it was answered: the upstream continues an answer once (a second
     * continue is {@code thread_already_continued}), so a long agent loop holds one entry, its newest answer's.
     */
    void continued(String owner, String answerId) {
        if (answerId != null) {
            homes.invalidate(key(owner, answerId));
        }
    }

    private static String key(String owner, String answerId) {
        return (owner == null ? "" : owner) + '\u0000' + answerId;
    }

    void resize(long maxEntries, Duration ttl) {
        homes.policy().eviction().ifPresent(e -> e.setMaximum(maxEntries));
        homes.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(ttl));
    }

    long size() {
        return homes.estimatedSize();
    }
}
