package dev.sluice.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.pipeline.Identity;
import dev.sluice.signin.usage.StandingSource;
import dev.sluice.signin.usage.UsageDocument;
import dev.sluice.signin.usage.UsageStanding;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Callers' standings kept in memory for readers that must not wait: sign-in's usage headers and its 429
 * ({@link StandingSource}) and routing ({@link BudgetState}). An entry is refreshed from the counters
 * ({@link BudgetEngine#status}) when it is read and older than a second, and marked stale when the caller's request
 * settles; with in-memory counters the refresh completes before the read returns, with Redis the read returns the
 * previous figures (none for a caller not seen yet) and the next read has the new ones. Bounded: least recently used
 * callers are dropped past {@value #MAX_CALLERS}.
 */
public final class BudgetStandings implements StandingSource, BudgetState {
    static final int MAX_CALLERS = 100_000;
    private static final long FRESH_MILLIS = 1_000;

    private final Supplier<BudgetEngine> engine;
    private final Clock clock;
    private final Cache<Identity, Entry> cache = Caffeine.newBuilder().maximumSize(MAX_CALLERS)
            .expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();
    private final Set<Identity> refreshing = ConcurrentHashMap.newKeySet();
    private final Cache<Identity, UsageDocument.Uncapped> spend = Caffeine.newBuilder().maximumSize(MAX_CALLERS / 10)
            .expireAfterWrite(Duration.ofMinutes(1)).executor(Runnable::run).build();

    private record Entry(List<BudgetStanding> standings, long atMillis) {
    }

    BudgetStandings(Supplier<BudgetEngine> engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    /** Every standing of the caller, as last read (refreshing it when old). */
    List<BudgetStanding> current(Identity who) {
        if (who == null || who.isOpen()) {
            return List.of();
        }
        Entry e = cache.getIfPresent(who);
        // An entry read "in the future" is stale too: the wall clock stepped back since, and the age check alone kept
        // it fresh for as long as the step, an hour of figures for sign-in's headers and routing (attack round 34).
        long age = e == null ? 0 : clock.millis() - e.atMillis();
        if (e == null || age < 0 || age > FRESH_MILLIS) {
            refresh(who);
            e = cache.getIfPresent(who);
        }
        return e == null ? List.of() : e.standings();
    }

    /** Figures just read from the counters (the usage endpoint reads them fresh). */
    void put(Identity who, List<BudgetStanding> standings) {
        if (who != null && !who.isOpen()) {
            cache.put(who, new Entry(List.copyOf(standings), clock.millis()));
        }
    }

    /** Spend without a cap, read from the ledger off the event loop by the usage endpoint, kept for a minute. */
    void spend(Identity who, UsageDocument.Uncapped uncapped) {
        spend.put(who, uncapped);
    }

    @Override
    public UsageDocument.Uncapped spend(Identity who) {
        return who == null ? null : spend.getIfPresent(who);
    }

    /** The caller's request settled: their next read fetches fresh figures. */
    void forget(Identity who) {
        if (who == null) {
            return;
        }
        Entry e = cache.getIfPresent(who);
        if (e != null) {
            cache.put(who, new Entry(e.standings(), 0));
        }
    }

    private void refresh(Identity who) {
        if (!refreshing.add(who)) {
            return;
        }
        engine.get().status(who).onComplete(ar -> {
            refreshing.remove(who);
            if (ar.succeeded()) {
                cache.put(who, new Entry(ar.result(), clock.millis()));
            }
        });
    }

    @Override
    public UsageStanding standing(Identity who) {
        return StandingPick.usage(current(who));
    }

    @Override
    public Level level(Identity who) {
        Level level = Level.OK;
        for (BudgetStanding s : current(who)) {
            if (s.blocked() && !"share".equals(s.line())) {
                return Level.EXHAUSTED;
            }
            if (s.warnAt() > 0) {
                level = Level.WARNING;
            }
        }
        return level;
    }
}
