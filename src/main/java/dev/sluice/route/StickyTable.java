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

    /**
     * Notes that {@code conversation} was served at {@code spot}: its home if it had none, else its away. A home known
     * by its upstream alone (see {@link #servedAway}) takes the key that first serves it there.
     */
    void served(String conversation, Spot spot) {
        // Nearly every turn is served where its conversation already is: a read (which refreshes the idle time as the
        // write would) then, not a locked compute and a write for an unchanged placement.
        Placement now = placements.getIfPresent(conversation);
        if (now != null && moved(now, spot) == now) {
            return;
        }
        placements.asMap().compute(conversation, (c, p) -> p == null ? new Placement(spot, null) : moved(p, spot));
    }

    /**
     * Notes that a new {@code conversation} was served at {@code away} while {@code home} (its rule's first choice, key
     * not yet known) could not take it, so it goes back home once home recovers. One already placed is {@link #served}.
     */
    void servedAway(String conversation, Spot home, Spot away) {
        placements.asMap().compute(conversation, (c, p) -> p == null ? new Placement(home, away) : moved(p, away));
    }

    private static Placement moved(Placement p, Spot spot) {
        if (p.home.key == null && spot.key != null && p.home.upstream.equals(spot.upstream)) {
            return new Placement(spot, p.away);
        }
        return p.home.equals(spot) || spot.equals(p.away) ? p : new Placement(p.home, spot);
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
