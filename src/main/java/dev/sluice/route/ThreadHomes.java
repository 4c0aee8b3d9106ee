package dev.sluice.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Where each server-held thread lives: the upstream and key that answered a {@code thread} request, by the answer's
 * {@code id}, for the gateway key that asked. A continue must go back there: the upstream holds a thread in the
 * account (key) that answered it, and elsewhere says {@code thread_not_found}, after which the client replays the whole
 * conversation at full price. It is also who may continue it: every gateway key on an upstream shares its account, so
 * the upstream would continue any caller's thread for anyone who names its answer's id; only the key it was served to
 * finds it here, and a continue found nowhere is refused ({@code RouteStage}). Bounded like the {@link StickyTable}
 * (same size and idle time, least recently used first), and a key holds at most a quarter of it (past that its own
 * oldest go); kept per replica like it, outside configuration snapshots.
 */
final class ThreadHomes {
    /** The share of the table one gateway key may hold: a quarter, as the Responses door's item store allows a caller. */
    private static final int SHARE_DIVISOR = 4;

    private final Cache<String, StickyTable.Spot> homes;
    /**
     * Each key's homes (table keys), oldest first, so that a key over its share gives up its own oldest rather than the
     * table's least recently used, which would be other keys' threads: one key making thread after thread must not
     * make everyone else's next turn a full replay. Guarded by this; never held while calling {@link #homes}.
     */
    private final Map<String, LinkedHashSet<String>> byOwner = new HashMap<>();
    private volatile long share;

    ThreadHomes(long maxEntries, Duration ttl) {
        this.homes = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterAccess(ttl).executor(Runnable::run)
                .<String, StickyTable.Spot>removalListener((key, spot, cause) -> {
                    if (cause != RemovalCause.REPLACED && key != null) {
                        dropped(key);
                    }
                }).build();
        this.share = share(maxEntries);
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
        if (answerId == null || answerId.isEmpty() || answerId.length() > ThreadRequest.MAX_ID_CHARS) {
            return;
        }
        String key = key(owner, answerId);
        List<String> over = new ArrayList<>();
        synchronized (this) {
            LinkedHashSet<String> mine = byOwner.computeIfAbsent(owner(key), o -> new LinkedHashSet<>());
            mine.remove(key);
            mine.add(key);
            for (var it = mine.iterator(); mine.size() - over.size() > share && it.hasNext(); ) {
                over.add(it.next());
            }
            over.forEach(mine::remove);
        }
        homes.put(key, spot);
        homes.invalidateAll(over);
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

    private static String owner(String key) {
        return key.substring(0, key.indexOf('\u0000'));
    }

    /** A home left the table (expired, evicted, forgotten): it no longer counts against its key's share. */
    private synchronized void dropped(String key) {
        String owner = owner(key);
        LinkedHashSet<String> mine = byOwner.get(owner);
        if (mine != null && mine.remove(key) && mine.isEmpty()) {
            byOwner.remove(owner);
        }
    }

    private static long share(long maxEntries) {
        return Math.max(1, maxEntries / SHARE_DIVISOR);
    }

    void resize(long maxEntries, Duration ttl) {
        share = share(maxEntries);
        homes.policy().eviction().ifPresent(e -> e.setMaximum(maxEntries));
        homes.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(ttl));
    }

    long size() {
        return homes.estimatedSize();
    }
}
