package dev.sluice.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Where each conversation's prompt cache is: the upstream and key that first served it (home) and,
 * while home was failing, where it went instead (away). A plan prefers home, then away, so a
 * conversation moves only when its target fails, keeps warm where it went, and comes back when home
 * recovers. Bounded in entries and idle time (Caffeine, least recently used first), and outside
 * configuration snapshots so reloads keep it.
 */
final class StickyTable {
    private final Cache<String, Placement> placements;

    StickyTable(long maxEntries, Duration ttl) {
        this.placements = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterAccess(ttl)
                .executor(Runnable::run).build();
    }

    /** An upstream and one of its keys ({@code key} null when the upstream has none). */
    record Spot(String upstream, String key) {
    }

    /** A conversation's home and, if it had to move, where it went. */
    record Placement(Spot home, Spot away) {
        /** The key this conversation uses on {@code upstream}, or null. */
        String keyOn(String upstream) {
            if (home.upstream.equals(upstream)) {
                return home.key;
            }
            return away != null && away.upstream.equals(upstream) ? away.key : null;
        }
    }

    Placement get(String conversation) {
        return conversation == null ? null : placements.getIfPresent(conversation);
    }

    /** Notes that {@code conversation} was served at {@code spot}: its home if it had none, else its away. */
    void served(String conversation, Spot spot) {
        placements.asMap().compute(conversation, (c, p) -> {
            if (p == null) {
                return new Placement(spot, null);
            }
            return p.home.equals(spot) || spot.equals(p.away) ? p : new Placement(p.home, spot);
        });
    }

    /** Applies a reloaded size and idle time to the live table. */
    void resize(long maxEntries, Duration ttl) {
        placements.policy().eviction().ifPresent(e -> e.setMaximum(maxEntries));
        placements.policy().expireAfterAccess().ifPresent(e -> e.setExpiresAfter(ttl));
    }

    long size() {
        return placements.estimatedSize();
    }
}
