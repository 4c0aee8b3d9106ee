package dev.sluice.budget;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This month's spend per key and per user, in nano-USD, in memory. A new month starts from zero
 * (months are UTC). Seeded from the ledger at start so a restart does not forget the month.
 */
public final class SpendCounters {
    private final Clock clock;
    private volatile YearMonth month;
    private volatile Map<String, AtomicLong> spent = new ConcurrentHashMap<>();

    public SpendCounters(Clock clock) {
        this.clock = clock;
        this.month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

    public static String keyScope(String keyId) {
        return "key:" + keyId;
    }

    public static String userScope(String userId) {
        return "user:" + userId;
    }

    /** Spend so far this month in a scope. */
    public long spent(String scope) {
        roll();
        AtomicLong v = spent.get(scope);
        return v == null ? 0 : v.get();
    }

    public void add(String scope, long nanoUsd) {
        if (nanoUsd == 0 || scope == null) {
            return;
        }
        roll();
        spent.computeIfAbsent(scope, s -> new AtomicLong()).addAndGet(nanoUsd);
    }

    /** Replaces the counters with totals read from the ledger for the current month. */
    public void seed(Map<String, Long> totals) {
        Map<String, AtomicLong> fresh = new ConcurrentHashMap<>();
        totals.forEach((k, v) -> fresh.put(k, new AtomicLong(v)));
        spent = fresh;
    }

    public YearMonth month() {
        roll();
        return month;
    }

    private void roll() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        if (!now.equals(month)) {
            synchronized (this) {
                if (!now.equals(month)) {
                    spent = new ConcurrentHashMap<>();
                    month = now;
                }
            }
        }
    }
}
