package dev.sluice.budget.engine;

import dev.sluice.budget.counter.LineSpec;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Limit;
import dev.sluice.budget.rules.Metric;
import dev.sluice.budget.rules.Period;
import dev.sluice.budget.rules.PoolRule;
import dev.sluice.budget.rules.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the lines of one request: one per budget limit, plus share-or-overflow alternatives for pools. */
final class LinePlan {
    private static final long KEEP_AFTER_PERIOD_MS = Duration.ofDays(1).toMillis();

    /** Per-metric estimate and worst case of one request for one model. */
    record Amounts(long usdE, long usdW, long inputE, long inputW, long outputE, long outputW) {
        static final Amounts ZERO = new Amounts(0, 0, 0, 0, 0, 0);

        long estimate(Metric m) {
            return switch (m) {
                case USD -> usdE;
                case INPUT_TOKENS -> inputE;
                case OUTPUT_TOKENS -> outputE;
                case TOTAL_TOKENS -> inputE + outputE;
            };
        }

        long worst(Metric m) {
            return switch (m) {
                case USD -> usdW;
                case INPUT_TOKENS -> inputW;
                case OUTPUT_TOKENS -> outputW;
                case TOTAL_TOKENS -> inputW + outputW;
            };
        }
    }

    private LinePlan() {
    }

    /**
     * @param shares per pool budget ({@code rule|entity}), the rebalanced shares and overflow if a rebalance happened
     */
    static List<Charge> build(String tenant, List<Applied> applied, String userId, Amounts a, Instant now,
                              Map<String, Map<String, Long>> shares) {
        List<Charge> out = new ArrayList<>();
        int group = 0;
        for (Applied ap : applied) {
            BudgetRule rule = ap.rule();
            Period.Window w = rule.period().window(now);
            long ttl = ttl(rule.period(), w, now);
            int block = rule.blockPercent();
            for (Limit limit : rule.limits()) {
                String key = key(tenant, ap, limit, w);
                long e = a.estimate(limit.metric());
                long wc = a.worst(limit.metric());
                out.add(charge(ap, limit, Charge.Role.TOTAL, limit.amount(), block, w, key, e, wc, ttl, group++, rule.period()));
                if (rule.pool() != null) {
                    Map<String, Long> rebalanced = shares.get(rule.name() + "|" + ap.entity());
                    long share = shareOf(rule.pool(), rebalanced, userId);
                    long overflow = rebalanced != null && rebalanced.containsKey(PoolRebalancer.OVERFLOW)
                            ? rebalanced.get(PoolRebalancer.OVERFLOW) : rule.pool().overflow();
                    int g = group++;
                    if (userId != null && share > 0) {
                        out.add(charge(ap, limit, Charge.Role.SHARE, share, block, w, key + ":m:" + CounterKeys.part(userId), e, wc, ttl,
                                g, rule.period()));
                    }
                    out.add(charge(ap, limit, Charge.Role.OVERFLOW, overflow, block, w, key + ":ovf", e, wc, ttl, g, rule.period()));
                }
            }
        }
        return out;
    }

    /** The counter key of a budget limit for an entity in a period; pool lines append {@code :m:<user>} or {@code :ovf}. */
    static String key(String tenant, Applied ap, Limit limit, Period.Window w) {
        return RedisCounters.prefix(tenant) + "l:" + ap.rule().name() + ":" + CounterKeys.part(ap.entity()) + ":"
                + limit.metric().ordinal() + ":" + w.id();
    }

    static long shareOf(PoolRule pool, Map<String, Long> rebalanced, String userId) {
        if (rebalanced != null && userId != null && rebalanced.containsKey(userId)) {
            return rebalanced.get(userId);
        }
        return pool.shareOf(userId);
    }

    private static Charge charge(Applied ap, Limit limit, Charge.Role role, long amount, int blockPercent, Period.Window w,
                                 String key, long e, long wc, long ttl, int group, Period period) {
        long cap = blockPercent < 0 ? -1 : new Threshold(blockPercent, null).lineOf(amount);
        long bucketMs = period instanceof Period.Rolling r ? r.bucketMillis() : 0;
        int buckets = period instanceof Period.Rolling r ? r.buckets() : 0;
        return new Charge(ap, limit, role, amount, w, new LineSpec(key, cap, e, wc, bucketMs, buckets, ttl, group));
    }

    private static long ttl(Period p, Period.Window w, Instant now) {
        if (p instanceof Period.Rolling r) {
            return r.length().toMillis() + KEEP_AFTER_PERIOD_MS;
        }
        return Math.max(1, w.end().toEpochMilli() - now.toEpochMilli()) + KEEP_AFTER_PERIOD_MS;
    }
}
