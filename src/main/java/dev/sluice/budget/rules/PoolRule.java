package dev.sluice.budget.rules;

import java.util.Map;

/**
 * A shared budget split into member shares plus an overflow pool.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>The budget as a whole still has its own line: the pool never lets the team spend more than its amount.</li>
 *   <li>A member's request is charged to the member's share while the share has room (its spend plus its
 *       reservations in flight stay under the share); otherwise to the overflow pool, which every member draws from.</li>
 *   <li>A member is refused only when both their share and the overflow are used up (or the whole budget is).</li>
 *   <li>Rebalance (optional, at {@code rebalanceAtPercent} of the period): a member keeps what their pace so far
 *       projects for the whole period, capped at their share and never below what they already spent; the rest of
 *       their share moves to the overflow pool. Done once per period, by whichever replica gets there first.</li>
 * </ol>
 *
 * @param shares             member user id → share, in the budget's units (nano-USD or tokens)
 * @param defaultShare       share of a member not listed
 * @param overflow           the overflow pool
 * @param rebalanceAtPercent percent of the period at which shares are rebalanced, or 0 for never
 */
public record PoolRule(Map<String, Long> shares, long defaultShare, long overflow, int rebalanceAtPercent) {
    public PoolRule {
        shares = Map.copyOf(shares);
    }

    public long shareOf(String userId) {
        Long s = userId == null ? null : shares.get(userId);
        return s == null ? defaultShare : s;
    }

    /**
     * The share a member keeps at rebalance: their projected use of the period, within [spent, share].
     *
     * @param elapsed fraction of the period elapsed at rebalance, in (0, 1]
     */
    public static long keptShare(long share, long spent, double elapsed) {
        if (spent >= share) {
            return share;
        }
        double projected = spent / Math.max(elapsed, 1e-9);
        return Math.max(spent, Math.min(share, (long) Math.ceil(projected)));
    }
}
