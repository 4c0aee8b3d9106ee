package dev.sluice.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Where each server-held thread lives: the upstream and key that answered a {@code thread} request, by the answer's
 * {@code id}, within the caller's organisation. A continue must go back there: the upstream holds a thread in the
 * account (key) that answered it, and elsewhere says {@code thread_not_found}, after which the client replays the whole
 * conversation at full price. Bounded like the {@link StickyTable} (same size and idle time, least recently used
 * first), kept per replica like it, outside configuration snapshots.
 */
final class ThreadHomes {
    private final Cache<String, StickyTable.Spot> homes;

    ThreadHomes(long maxEntries, Duration ttl) {
        this.homes = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterAccess(ttl).executor(Runnable::run).build();
    }

    /** Where the answer {@code answerId} of {@code org} was served, or null when not known here. */
    StickyTable.Spot get(String org, String answerId) {
        return answerId == null ? null : homes.getIfPresent(key(org, answerId));
    }

    /** Notes that {@code answerId} (at most {@link ThreadRequest#MAX_ID_CHARS} characters) was served at {@code spot}. */
    void served(String org, String answerId, StickyTable.Spot spot) {
        if (answerId != null && !answerId.isEmpty() && answerId.length() <= ThreadRequest.MAX_ID_CHARS) {
            homes.put(key(org, answerId), spot);
        }
    }

    private static String key(String org, String answerId) {
        return (org == null ? "" : org) + '\u0000' + answerId;
    }

    void resize(long maxEntries, Duration ttl) {
        homes.policy().eviction().ifPresent(e -> e.setMaximum(maxEntries));
        homes.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(ttl));
    }

    long size() {
        return homes.estimatedSize();
    }
}
