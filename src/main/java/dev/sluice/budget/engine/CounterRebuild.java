package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LineSpec;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Limit;
import dev.sluice.budget.rules.Period;
import dev.sluice.budget.rules.PoolRule;
import dev.sluice.budget.rules.Threshold;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds counters from the ledger when the store has none: at start for in-memory counters, and when Redis is
 * new or was flushed (its {@code sluice:b:rebuilt} marker is gone; one replica wins the right to rebuild). For each
 * budget it reads the current period only (rolling windows by bucket), through the ledger's time and dimension
 * indexes, on a worker thread: the request path never reads the ledger.
 *
 * <p>Pools are rebuilt from per-member spend: a member's share line gets {@code min(spent, share)} and the overflow
 * the rest, which is how the requests would have been charged had they arrived in any order.
 *
 * <p>Spend settled into a flushed Redis before the rebuild noticed is counted again (at most one check interval's
 * worth; the safe direction), and spend still in the ledger's journal and not yet in the database is missed: call
 * the ledger's {@code awaitFlushed} first where that matters.
 */
public final class CounterRebuild implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CounterRebuild.class);
    private static final long CALENDAR = Long.MAX_VALUE / 4;
    /** How often a seed that met a store outage is tried again, and how many times (an hour's worth). */
    static final Duration SEED_RETRY = Duration.ofSeconds(10);
    static final int SEED_TRIES = 360;
    /** {@link #SEED_RETRY}, shorter in tests. */
    volatile Duration seedRetry = SEED_RETRY;

    private volatile List<BudgetRule> rules;
    private final CounterStore store;
    private final LedgerSpend ledger;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("sluice-budget-rebuild").unstarted(r));

    private volatile Runnable ledgerCaughtUp = () -> { };
    /** Records before this moment (epoch ms) were counted by this rebuild's last full rebuild; 0 before any. */
    private volatile long countedBefore;

    /** What a seed waits for first: the ledger's table holding every record appended so far (bounded by its caller). */
    public void awaitLedgerWith(Runnable caughtUp) {
        this.ledgerCaughtUp = caughtUp;
    }

    public CounterRebuild(List<BudgetRule> rules, CounterStore store, LedgerSpend ledger, Clock clock) {
        this.rules = List.copyOf(rules);
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * The moment (epoch ms) before which the ledger's records were counted into the store by the last full rebuild (an
     * in-memory store's, at start), or 0 while the store holds counters an earlier run left (Redis across a restart),
     * which know nothing of what that run recorded only at this start. A charge of a record the ledger held before it
     * would count that record twice: the settle markers that stop a repeat died with the earlier run.
     */
    public long countedBefore() {
        return countedBefore;
    }

    /** What a later full rebuild (a flushed Redis) covers: the budgets in force now. */
    public void rules(List<BudgetRule> next) {
        this.rules = List.copyOf(next);
    }

    /** Rebuilds if the store needs it; blocking (JDBC and waits on the store): call it off the event loop. Lines seeded. */
    public int rebuildIfNeeded() {
        if (!store.needsRebuild().await()) {
            return 0;
        }
        long t0 = System.nanoTime();
        int lines = 0;
        Instant until = clock.instant().plusSeconds(1);
        for (BudgetRule r : rules) {
            lines += rebuild(r, until, true);
            store.claim(CounterKeys.tenant(null), seedToken(r, until), seedTtl(r, until)).await();
        }
        store.markRebuilt().await();
        countedBefore = until.toEpochMilli();
        log.info("budget counters rebuilt from the ledger: {} lines for {} budgets in {} ms", lines, rules.size(),
                (System.nanoTime() - t0) / 1_000_000);
        return lines;
    }

    /**
     * Seeds budgets that appeared while the gateway runs (a reload, an admin change) from the ledger, each at most once
     * per period across replicas (a claim in the store). Only records that started before {@code until} are counted: the
     * moment the new rules took over, so what they settle themselves is not counted twice. Blocking: call it off the
     * event loop. Lines seeded.
     */
    public int seedAdded(List<BudgetRule> added, Instant until) {
        return seedAdded(added, until, false);
    }

    /** As {@link #seedAdded(List, Instant)}; {@code passedReported} as for {@link #rebuild(BudgetRule, Instant, boolean)}. */
    public int seedAdded(List<BudgetRule> added, Instant until, boolean passedReported) {
        // Records of attempts that ended before the new rules took over may still be in the ledger's journal, not
        // yet in its table: a seed that read the table now would leave them out of the new counters for good.
        ledgerCaughtUp.run();
        int lines = 0;
        for (BudgetRule r : added) {
            if (store.claim(CounterKeys.tenant(null), seedToken(r, until), seedTtl(r, until)).await()) {
                lines += rebuild(r, until, passedReported);
            }
        }
        if (lines > 0) {
            log.info("budget counters: {} lines seeded from the ledger for {} new or changed budgets", lines, added.size());
        }
        return lines;
    }

    /**
     * What a budget counts, apart from its amounts and thresholds: two rules with the same counting identity share their
     * counters, so changing an amount keeps the spend while changing the level, entity, period or metric starts afresh.
     */
    public static String countingIdentity(BudgetRule r) {
        StringBuilder b = new StringBuilder(r.name()).append('|').append(r.level()).append('|').append(r.id()).append('|')
                .append(r.tagName()).append('|').append(periodPart(r.period()));
        r.limits().forEach(l -> b.append('|').append(l.metric()));
        if (r.pool() != null) {
            b.append("|pool");
        }
        return b.toString();
    }

    /**
     * The period as counting identities have always spelled it. A rolling window's label was once whole hours (90 minutes
     * read "rolling 1h"); the label now says minutes, but the identity keeps the old spelling: a new one would make a
     * running budget look new after an upgrade, and its seed would add the ledger's spend to counters that hold it.
     */
    private static String periodPart(Period p) {
        if (p instanceof Period.Rolling roll) {
            long days = roll.length().toDays();
            return "rolling " + (days * 86_400_000L == roll.length().toMillis() ? days + "d" : roll.length().toHours() + "h");
        }
        return p.label();
    }

    private static String seedToken(BudgetRule r, Instant at) {
        return "seeded:" + CounterKeys.part(countingIdentity(r)) + ":" + r.period().window(at).id();
    }

    private static Duration seedTtl(BudgetRule r, Instant at) {
        Period.Window w = r.period().window(at);
        return r.period() instanceof Period.Rolling roll ? roll.length().plusDays(1) : Duration.between(at, w.end()).plusDays(1);
    }

    /**
     * Checks every {@code every} on this rebuild's own thread (a flushed Redis is noticed within that interval). Not a
     * Vert.x worker: the rebuild waits on the store's futures, which Vert.x does not allow on its own threads. Every
     * failure is caught, checked ones too ({@code await} rethrows a store's {@code IOException} as it is): an exception
     * escaping a periodic task cancels it silently, and the next flushed Redis would then never be rebuilt.
     */
    public void schedule(Duration every) {
        worker.scheduleWithFixedDelay(() -> {
            try {
                rebuildIfNeeded();
            } catch (Exception e) {
                log.error("budget counters: rebuild from the ledger failed, will retry in {} s: {}", every.toSeconds(), e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@link #seedAdded} on this rebuild's own thread; returns at once with what completes when the seed is done
     * (or given up). While the store cannot answer (Redis down), the seed is tried again every {@link #SEED_RETRY} for
     * up to {@link #SEED_TRIES} tries, so a budget added during an outage still starts from what its period already
     * spent, not from zero. (A claim makes each seed happen once across replicas, so a retry never counts twice.)
     */
    public CompletableFuture<Void> seedAddedLater(List<BudgetRule> added, Instant until) {
        return seedAddedLater(added, until, false);
    }

    /** As {@link #seedAddedLater(List, Instant)}; {@code passedReported}: the budgets were stored before this start. */
    public CompletableFuture<Void> seedAddedLater(List<BudgetRule> added, Instant until, boolean passedReported) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            worker.execute(() -> seedWithRetries(added, until, passedReported, 1, done));
        } catch (RejectedExecutionException closing) {
            done.complete(null); // closing: nothing will be seeded, and nothing may wait for it
        }
        return done;
    }

    private void seedWithRetries(List<BudgetRule> added, Instant until, boolean passedReported, int attempt, CompletableFuture<Void> done) {
        try {
            seedAdded(added, until, passedReported);
            done.complete(null);
        } catch (Exception e) {
            if (attempt >= SEED_TRIES || worker.isShutdown()) {
                log.error("budget counters: seeding {} new budgets from the ledger failed {} times, giving up (they count from "
                        + "zero this period): {}", added.size(), attempt, e.toString());
                done.complete(null);
                return;
            }
            log.warn("budget counters: seeding {} new budgets from the ledger failed, will retry in {} s: {}", added.size(),
                    seedRetry.toSeconds(), e.toString());
            try {
                worker.schedule(() -> seedWithRetries(added, until, passedReported, attempt + 1, done), seedRetry.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                done.complete(null); // closed meanwhile: nothing left to seed for
            }
        }
    }

    /** Stops the periodic check and pending seeds. */
    @Override
    public void close() {
        worker.shutdownNow();
    }

    /**
     * Seeds one budget's lines from the ledger. {@code passedReported}: the thresholds its lines stand past were reported
     * before the counters were lost (a start, a flushed Redis), so their alert claims are taken again without alerting
     * ({@link PassedThresholds}); a budget new in a reload leaves them for the next request to report.
     */
    private int rebuild(BudgetRule rule, Instant until, boolean passedReported) {
        Instant now = until;
        Period.Window w = rule.period().window(now);
        boolean rolling = rule.period() instanceof Period.Rolling;
        long bucketMs = rule.period() instanceof Period.Rolling r ? r.bucketMillis() : CALENDAR;
        String entity = rule.each() ? null : rule.id();
        Map<String, Map<Long, Long>> perKey = new HashMap<>();
        Map<String, LineSpec> specs = new HashMap<>();
        Map<String, Long> amounts = new HashMap<>();
        for (LedgerSpend.Row row : ledger.sums(rule.level(), rule.tagName(), entity, w.start(), until, bucketMs)) {
            String tenant = CounterKeys.tenant(row.org());
            for (Limit limit : rule.limits()) {
                LineSpec spec = spec(LinePlan.key(tenant, new Applied(rule, row.entity()), limit, w), rule.period(), w, now);
                specs.put(spec.key(), spec);
                amounts.put(spec.key(), limit.amount());
                perKey.computeIfAbsent(spec.key(), k -> new HashMap<>()).merge(rolling ? row.bucket() : 0L, row.of(limit.metric()), Long::sum);
            }
        }
        if (rule.pool() != null && !rule.each()) {
            pool(rule, w, now, perKey, specs);
        }
        perKey.forEach((key, buckets) -> store.seed(tenantOf(key), now.toEpochMilli(), specs.get(key), buckets).await());
        if (passedReported) {
            amounts.forEach((key, amount) -> {
                long spent = perKey.get(key).values().stream().mapToLong(Long::longValue).sum();
                for (Threshold t : rule.thresholds()) {
                    if (spent >= t.lineOf(amount)) {
                        store.claim(tenantOf(key), PassedThresholds.token(key, t.percent()), PassedThresholds.ttl(now, w.end())).await();
                    }
                }
            });
        }
        return perKey.size();
    }

    private void pool(BudgetRule rule, Period.Window w, Instant now, Map<String, Map<Long, Long>> perKey, Map<String, LineSpec> specs) {
        PoolRule pool = rule.pool();
        Limit limit = rule.limits().getFirst();
        for (LedgerSpend.Row row : ledger.memberSums(rule.level(), rule.tagName(), rule.id(), w.start(), now)) {
            String base = LinePlan.key(CounterKeys.tenant(row.org()), new Applied(rule, rule.id()), limit, w);
            long spent = row.of(limit.metric());
            long share = pool.shareOf(row.entity());
            long toShare = share > 0 ? Math.min(spent, share) : 0;
            if (toShare > 0) {
                add(perKey, specs, base + ":m:" + CounterKeys.part(row.entity()), rule, w, now, toShare);
            }
            if (spent > toShare) {
                add(perKey, specs, base + ":ovf", rule, w, now, spent - toShare);
            }
        }
    }

    private static void add(Map<String, Map<Long, Long>> perKey, Map<String, LineSpec> specs, String key, BudgetRule rule, Period.Window w,
                            Instant now, long amount) {
        specs.put(key, spec(key, rule.period(), w, now));
        perKey.computeIfAbsent(key, k -> new HashMap<>()).merge(0L, amount, Long::sum);
    }

    private static LineSpec spec(String key, Period p, Period.Window w, Instant now) {
        if (p instanceof Period.Rolling r) {
            return new LineSpec(key, -1, 0, 0, r.bucketMillis(), r.buckets(), r.length().toMillis() + 86_400_000L, 0);
        }
        return new LineSpec(key, -1, 0, 0, 0, 0, Math.max(1, w.end().toEpochMilli() - now.toEpochMilli()) + 86_400_000L, 0);
    }

    /** The tenant inside a key's {@code {tenant}} hash tag. */
    private static String tenantOf(String key) {
        return key.substring(key.indexOf('{') + 1, key.indexOf('}'));
    }
}
