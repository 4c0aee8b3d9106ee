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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * worth; the safe direction). Spend still in the ledger's journal and not yet in its table (a backlog replayed after a
 * database outage) is waited for, a bounded time ({@link #awaitLedgerWith}); when the ledger has not caught up by then,
 * the counters start from the table as it is, so a start never hangs on a dead database, and are topped up once it
 * has: each line gets what the table then holds from before the rebuild's moment beyond what the rebuild counted.
 * Records are only ever added to the table, so that difference is exactly the backlog, and the spend this run
 * settled meanwhile stays ({@code seed} adds).
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

    /** How often a rebuild that read the table before the ledger caught up checks whether it has. */
    static final Duration CATCH_UP_POLL = Duration.ofSeconds(1);

    private volatile BooleanSupplier ledgerCaughtUp = () -> true;
    /** Records before this moment (epoch ms) were counted by this rebuild's last full rebuild; 0 before any. */
    private volatile long countedBefore;

    /**
     * What a rebuild or a seed waits for first: the ledger's table holding every record appended so far, true when it
     * does (bounded by its caller; false when it did not in time). Without one the table is taken as complete.
     */
    public void awaitLedgerWith(BooleanSupplier caughtUp) {
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
        boolean complete = ledgerCaughtUp.getAsBoolean();
        long t0 = System.nanoTime();
        int lines = 0;
        Instant until = clock.instant().plusSeconds(1);
        List<BudgetRule> all = rules;
        List<Counted> counted = new ArrayList<>();
        for (BudgetRule r : all) {
            Counted c = count(r, until);
            lines += seed(r, c, c, until, true);
            counted.add(complete ? null : c);
            store.claim(CounterKeys.tenant(null), seedToken(r, until), seedTtl(r, until)).await();
        }
        store.markRebuilt().await();
        countedBefore = until.toEpochMilli();
        log.info("budget counters rebuilt from the ledger: {} lines for {} budgets in {} ms", lines, all.size(),
                (System.nanoTime() - t0) / 1_000_000);
        if (!complete) {
            catchUpLater(all, counted, until, true);
        }
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

    /** As {@link #seedAdded(List, Instant)}; {@code passedReported} as for {@link #seed}. */
    public int seedAdded(List<BudgetRule> added, Instant until, boolean passedReported) {
        // Records of attempts that ended before the new rules took over may still be in the ledger's journal, not
        // yet in its table: a seed that read the table now would leave them out of the new counters for good.
        boolean complete = ledgerCaughtUp.getAsBoolean();
        int lines = 0;
        List<BudgetRule> seeded = new ArrayList<>();
        List<Counted> counted = new ArrayList<>();
        for (BudgetRule r : added) {
            if (store.claim(CounterKeys.tenant(null), seedToken(r, until), seedTtl(r, until)).await()) {
                Counted c = count(r, until);
                lines += seed(r, c, c, until, passedReported);
                seeded.add(r);
                counted.add(c);
            }
        }
        if (lines > 0) {
            log.info("budget counters: {} lines seeded from the ledger for {} new or changed budgets", lines, added.size());
        }
        if (!complete && !seeded.isEmpty()) {
            catchUpLater(seeded, counted, until, passedReported);
        }
        return lines;
    }

    /**
     * The ledger's table had not caught up with its journal when {@code counted} was read for {@code budgets} (a null
     * entry: read after it had). Checks every {@link #CATCH_UP_POLL} on this rebuild's thread until it has (the ledger
     * retries through any outage, and so does this, until closed), then adds to each line what the table holds from
     * before {@code until} beyond what was counted.
     */
    private void catchUpLater(List<BudgetRule> budgets, List<Counted> counted, Instant until, boolean passedReported) {
        log.warn("budget counters: the ledger's journal holds records its table does not yet; counting {} budgets from the"
                + " table for now, and adding those records once the ledger has written them", budgets.size());
        schedule(() -> catchUp(budgets, counted, until, passedReported, 1), CATCH_UP_POLL);
    }

    private void catchUp(List<BudgetRule> budgets, List<Counted> counted, Instant until, boolean passedReported, int attempt) {
        try {
            if (!ledgerCaughtUp.getAsBoolean()) {
                if (attempt % 60 == 0) {
                    log.warn("budget counters: still waiting for the ledger to write its journal's backlog ({} checks)", attempt);
                }
                schedule(() -> catchUp(budgets, counted, until, passedReported, attempt + 1), CATCH_UP_POLL);
                return;
            }
            int lines = 0;
            for (int i = 0; i < budgets.size(); i++) {
                if (counted.get(i) != null) {
                    Counted now = count(budgets.get(i), until);
                    lines += seed(budgets.get(i), now.minus(counted.get(i)), now, until, passedReported);
                }
            }
            log.info("budget counters: the ledger caught up; {} lines got the records its journal held", lines);
        } catch (Exception e) {
            log.warn("budget counters: adding the ledger's backlog failed, will retry: {}", e.toString());
            schedule(() -> catchUp(budgets, counted, until, passedReported, attempt + 1), CATCH_UP_POLL);
        }
    }

    private void schedule(Runnable task, Duration after) {
        try {
            worker.schedule(task, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed: the counters go with this rebuild
        }
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
     * What tells a budget of new rules from the one before it ({@link #countingIdentity}, which stays as stored seed
     * claims spell it), with a rolling window's length in minutes: the counting identity spells 90 and 100 minutes alike
     * ("rolling 1h"), while their counters are apart (a window's id names its minutes), so a change between two such
     * lengths is a new budget, seeded from the ledger, and an unchanged window is not.
     */
    public static String changeIdentity(BudgetRule r) {
        return r.period() instanceof Period.Rolling roll ? countingIdentity(r) + "|" + roll.length().toMinutes() + "m"
                : countingIdentity(r);
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
     * One budget's lines as the ledger's table holds them from the start of the period to {@code until}: each line's
     * spec, its spend per rolling bucket (or 0 for a calendar period) and its limit's amount.
     */
    private record Counted(Map<String, LineSpec> specs, Map<String, Map<Long, Long>> perKey, Map<String, Long> amounts) {
        /** What this holds beyond {@code earlier} (read before it, for the same budget and moment), line by line. */
        Counted minus(Counted earlier) {
            Map<String, Map<Long, Long>> more = new HashMap<>();
            perKey.forEach((key, buckets) -> buckets.forEach((b, v) -> {
                long d = v - earlier.perKey.getOrDefault(key, Map.of()).getOrDefault(b, 0L);
                if (d > 0) {
                    more.computeIfAbsent(key, k -> new HashMap<>()).put(b, d);
                }
            }));
            return new Counted(specs, more, amounts);
        }
    }

    private Counted count(BudgetRule rule, Instant until) {
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
        return new Counted(specs, perKey, amounts);
    }

    /**
     * Adds {@code add} to one budget's lines; {@code total} is what they then hold from the ledger. {@code passedReported}:
     * the thresholds the lines stand past were reported before the counters were lost (a start, a flushed Redis), so
     * their alert claims are taken again without alerting ({@link PassedThresholds}); a budget new in a reload leaves
     * them for the next request to report. Lines added to.
     */
    private int seed(BudgetRule rule, Counted add, Counted total, Instant until, boolean passedReported) {
        Period.Window w = rule.period().window(until);
        add.perKey.forEach((key, buckets) -> store.seed(tenantOf(key), until.toEpochMilli(), add.specs.get(key), buckets).await());
        if (passedReported) {
            total.amounts.forEach((key, amount) -> {
                long spent = total.perKey.getOrDefault(key, Map.of()).values().stream().mapToLong(Long::longValue).sum();
                for (Threshold t : rule.thresholds()) {
                    if (spent >= t.lineOf(amount)) {
                        store.claim(tenantOf(key), PassedThresholds.token(key, t.percent()), PassedThresholds.ttl(until, w.end())).await();
                    }
                }
            });
        }
        return add.perKey.size();
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
