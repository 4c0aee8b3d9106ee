package dev.sluice.budget;

import dev.sluice.budget.alert.AlertDispatcher;
import dev.sluice.budget.alert.AlertSinks;
import dev.sluice.budget.alert.HistorySource;
import dev.sluice.budget.alert.LedgerHistory;
import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LeaseSettings;
import dev.sluice.budget.counter.LeasedCounters;
import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.counter.RedisLink;
import dev.sluice.budget.counter.ResilientCounters;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetMetrics;
import dev.sluice.budget.engine.CounterRebuild;
import dev.sluice.budget.engine.ExtraBudgets;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.Pricing;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.limit.FairQueue;
import dev.sluice.budget.limit.RateLimiter;
import dev.sluice.budget.limit.RateRule;
import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the {@code budgets:} section asks for, built and started: the engine (with memory or Redis counters
 * and the fail-open/closed policy), the rebuild from the ledger, alert sinks, rate limits and fair queues. Blocking
 * work (the first rebuild) happens in {@link #start}, which belongs with the other long-lived parts opened before
 * the front starts.
 *
 * <p>What outlives a reload: the counter store (so counters survive), the output estimator, the metrics, the alert
 * worker, the rate limiter's counts and the fair queues' permits. What a reload replaces: the rules
 * ({@link #engineFor} makes a new engine on the same store and seeds budgets that are new from the ledger), the
 * sinks, the rate rules, the fair-queue sizes ({@link #apply}). Where counters live ({@code counters:}) takes effect
 * at the next start.
 */
public final class Budgets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final CounterStore store;
    private final Pricing pricing;
    private final OutputEstimator estimator;
    private final Clock clock;
    private final Duration reservationTtl;
    private final int maxEntities;
    private final BudgetMetrics metrics = new BudgetMetrics();
    private final ExtraBudgets extra;
    private final RateLimiter limiter;
    private final AlertDispatcher alerts;
    private final CounterRebuild rebuild;
    private final Vertx vertx;
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    private volatile BudgetsConfig config;
    private volatile BudgetEngine engine;
    /** Whether the budgets stored before this start (admin-set ones) have been seeded: later seeds are changes. */
    private boolean startSeeded;

    private record Queue(BudgetsConfig.FairQueueConfig config, FairQueue queue) {
    }

    private Budgets(Builder b) {
        this.store = b.store;
        this.pricing = b.pricing;
        this.estimator = b.estimator;
        this.clock = b.clock;
        this.reservationTtl = b.ttl;
        this.maxEntities = b.maxEntities;
        this.extra = b.extra;
        this.limiter = b.limiter;
        this.alerts = b.alerts;
        this.rebuild = b.rebuild;
        this.vertx = b.vertx;
        this.config = b.config;
        this.engine = newEngine(b.rules);
    }

    /** The rest of what {@link #start} assembles, to keep the constructor short. */
    private static final class Builder {
        BudgetsConfig config;
        BudgetSet rules;
        CounterStore store;
        Pricing pricing;
        OutputEstimator estimator;
        Clock clock;
        Duration ttl;
        int maxEntities;
        ExtraBudgets extra;
        RateLimiter limiter;
        AlertDispatcher alerts;
        CounterRebuild rebuild;
        Vertx vertx;
    }

    /** As {@link #start(String, BudgetsConfig, Vertx, Pricing, DataSource, boolean, Clock, ExtraBudgets)} without extra budgets. */
    public static Budgets start(String origin, BudgetsConfig cfg, Vertx vertx, Pricing pricing, DataSource ledger, boolean postgres,
                                Clock clock) {
        return start(origin, cfg, vertx, pricing, ledger, postgres, clock, ExtraBudgets.NONE);
    }

    /**
     * Validates the section (every problem in one {@link BudgetConfigException}), connects, rebuilds the counters
     * from the ledger if they are empty, and starts the periodic check for a flushed Redis.
     *
     * @param ledger the ledger's data source, or null to skip rebuilds and projections (tests)
     * @param extra  budgets from elsewhere (monthly caps on users and keys), checked beside the section's
     */
    public static Budgets start(String origin, BudgetsConfig cfg, Vertx vertx, Pricing pricing, DataSource ledger, boolean postgres,
                                Clock clock, ExtraBudgets extra) {
        return start(origin, cfg, vertx, pricing, ledger, postgres, clock, extra, () -> true);
    }

    /**
     * As {@link #start(String, BudgetsConfig, Vertx, Pricing, DataSource, boolean, Clock, ExtraBudgets)}, with what a
     * rebuild or seed from the ledger first waits for: its table holding every record its journal does, true when it
     * does (a bounded wait; see {@link CounterRebuild}).
     */
    public static Budgets start(String origin, BudgetsConfig cfg, Vertx vertx, Pricing pricing, DataSource ledger, boolean postgres,
                                Clock clock, ExtraBudgets extra, java.util.function.BooleanSupplier ledgerCaughtUp) {
        Builder b = new Builder();
        b.config = cfg;
        b.rules = BudgetRules.compile(origin, cfg);
        b.rules.warnings().forEach(w -> log.warn("{}: {}", origin, w));
        List<RateRule> rateRules = RateRule.fromConfig(origin, cfg.rateLimits());
        var c = cfg.counters();
        String kind = c.store() == null ? "memory" : c.store().toLowerCase(Locale.ROOT);
        Duration timeout = c.timeout() == null ? Duration.ofMillis(250) : c.timeout();
        RedisLink rateLink = null;
        switch (kind) {
            case "memory" -> b.store = new MemoryCounters();
            case "redis" -> {
                if (c.redisUrl() == null) {
                    throw new BudgetConfigException(origin, List.of("budgets.counters.redis-url: missing (expected: redis://host:6379 with store: redis)"));
                }
                String policy = c.onRedisFailure() == null ? "fail-open" : c.onRedisFailure().toLowerCase(Locale.ROOT);
                if (!policy.equals("fail-open") && !policy.equals("fail-closed")) {
                    throw new BudgetConfigException(origin, List.of("budgets.counters.on-redis-failure: '" + c.onRedisFailure()
                            + "' (expected: fail-open or fail-closed)"));
                }
                RedisCounters redis = new RedisCounters(vertx, c.redisUrl(), timeout).warmUp(Duration.ofSeconds(5));
                LeaseSettings leases = leaseSettings(origin, c.leases());
                CounterStore shared = leases == null ? redis : new LeasedCounters(vertx, redis, leases, clock::millis);
                b.store = new ResilientCounters(shared, new MemoryCounters(),
                        policy.equals("fail-open") ? ResilientCounters.Policy.FAIL_OPEN : ResilientCounters.Policy.FAIL_CLOSED);
                // Rate limits may arrive with a reload, so the link is opened whenever counters are shared.
                rateLink = new RedisLink(vertx, c.redisUrl(), timeout);
            }
            default -> throw new BudgetConfigException(origin, List.of("budgets.counters.store: '" + c.store() + "' (expected: memory or redis)"));
        }
        var a = cfg.alerts();
        HistorySource history = ledger == null ? HistorySource.NONE : new LedgerHistory(new LedgerSpend(ledger, postgres), b.rules.zone());
        b.alerts = new AlertDispatcher(AlertSinks.fromConfig(origin, a.sinks()), history, b.rules.zone(),
                a.queue() == null ? 1000 : a.queue(), a.retries() == null ? 3 : a.retries(), Duration.ofMillis(500), 1);
        var oe = cfg.outputEstimate();
        b.estimator = new OutputEstimator(oe.initialTokens() == null ? 2048 : oe.initialTokens(),
                oe.sigmas() == null ? 2.0 : oe.sigmas(), oe.minTokens() == null ? 256 : oe.minTokens());
        b.pricing = pricing;
        b.clock = clock;
        b.ttl = c.reservationTtl() == null ? Duration.ofMinutes(15) : c.reservationTtl();
        b.maxEntities = c.maxEntities() == null ? 1000 : c.maxEntities();
        b.extra = Objects.requireNonNull(extra, "extra");
        b.vertx = vertx;
        b.limiter = new RateLimiter(rateRules, clock, rateLink);
        if (ledger != null) {
            List<BudgetRule> all = new ArrayList<>(b.rules.rules());
            all.addAll(extra.templates());
            b.rebuild = new CounterRebuild(all, b.store, new LedgerSpend(ledger, postgres), clock);
            b.rebuild.awaitLedgerWith(ledgerCaughtUp);
            try {
                b.rebuild.rebuildIfNeeded();
            } catch (Exception e) { // checked too: a store's IOException (Redis down at start) must not stop the start
                log.error("budget counters: rebuild from the ledger failed at start, will retry: {}", e.toString());
            }
            if (kind.equals("redis")) {
                b.rebuild.schedule(Duration.ofSeconds(10));
            }
        }
        return new Budgets(b);
    }

    /** The lease settings of {@code budgets.counters.leases}, or null when leases are off. */
    private static LeaseSettings leaseSettings(String origin, BudgetsConfig.LeaseConfig c) {
        if (c == null) {
            return LeaseSettings.DEFAULTS;
        }
        if (Boolean.FALSE.equals(c.enabled())) {
            return null;
        }
        LeaseSettings d = LeaseSettings.DEFAULTS;
        try {
            return new LeaseSettings(c.share() == null ? d.share() : c.share(), c.requests() == null ? d.requests() : c.requests(),
                    c.flush() == null ? d.flush() : c.flush(), c.ttl() == null ? d.ttl() : c.ttl(), c.idle() == null ? d.idle() : c.idle());
        } catch (IllegalArgumentException e) {
            throw new BudgetConfigException(origin, List.of("budgets.counters.leases: " + e.getMessage()));
        }
    }

    /**
     * Whether the counters outlived the last run instead of being rebuilt from the ledger at this start (Redis, kept
     * across a restart): then the requests that run left in flight are settled on them ({@code engine.CutRequests}).
     */
    public boolean countersOutlivedLastRun() {
        return rebuild != null && rebuild.countedBefore() == 0;
    }

    /** See {@link CounterRebuild#countedBefore}; 0 without a ledger. */
    public long ledgerCountedBefore() {
        return rebuild == null ? 0 : rebuild.countedBefore();
    }

    /** Requests admitted from a lease and through Redis one by one; zeros without leases. */
    public long[] leaseAdmissions() {
        return leased() == null ? new long[2] : leased().admissions();
    }

    private LeasedCounters leased() {
        return store instanceof ResilientCounters r && r.primary() instanceof LeasedCounters l ? l : null;
    }

    /** The engine of the rules applied last. */
    public BudgetEngine engine() {
        return engine;
    }

    /**
     * The engine for {@code rules}: the current one when they are the rules it runs, else a new engine on the same
     * counters that becomes current. Budgets that are new (or whose counting changed) are seeded from the ledger in the
     * background, counting records from before this moment. Cheap when nothing changed: one reference comparison.
     */
    public BudgetEngine engineFor(BudgetSet rules) {
        BudgetEngine e = engine;
        if (e.rules() == rules) {
            return e;
        }
        synchronized (this) {
            if (engine.rules() == rules) {
                return engine;
            }
            BudgetSet before = engine.rules();
            BudgetEngine next = newEngine(rules);
            // Set before the engine is published: no request may reserve against a new budget's empty counters.
            // The first seed after the start is of budgets set before it (the admin's, stored): their passed thresholds
            // were reported before, and a restart must not alert them again; a later one is a change, whose are not.
            next.seededBy(seedAdded(before, rules, clock.instant(), !startSeeded));
            startSeeded = true;
            engine = next;
            return next;
        }
    }

    private BudgetEngine newEngine(BudgetSet rules) {
        return new BudgetEngine(rules, store, pricing, estimator, clock, reservationTtl, maxEntities, alerts, metrics, extra);
    }

    /** Seeds the budgets {@code after} adds to {@code before}; what completes when they are seeded. */
    private CompletableFuture<Void> seedAdded(BudgetSet before, BudgetSet after, Instant at, boolean passedReported) {
        if (rebuild == null) {
            return BudgetEngine.SEEDED;
        }
        Set<String> known = new HashSet<>();
        before.rules().forEach(r -> known.add(CounterRebuild.changeIdentity(r)));
        List<BudgetRule> all = new ArrayList<>(after.rules());
        all.addAll(extra.templates());
        rebuild.rules(all);
        List<BudgetRule> added = after.rules().stream().filter(r -> !known.contains(CounterRebuild.changeIdentity(r))).toList();
        if (added.isEmpty()) {
            return BudgetEngine.SEEDED;
        }
        return rebuild.seedAddedLater(added, at, passedReported);
    }

    /**
     * Applies a reloaded section's sinks, rate limits and fair-queue sizes (its rules go through {@link #engineFor}).
     * The section was validated when the configuration was compiled; counters' settings need a restart.
     */
    public synchronized void apply(String origin, BudgetsConfig next) {
        BudgetsConfig previous = config;
        if (!Objects.equals(previous.alerts().sinks(), next.alerts().sinks())) {
            alerts.sinks(AlertSinks.fromConfig(origin, next.alerts().sinks()));
        }
        if (!previous.rateLimits().equals(next.rateLimits())) {
            limiter.rules(RateRule.fromConfig(origin, next.rateLimits()));
        }
        if (!previous.counters().equals(next.counters())) {
            log.warn("{}: budgets.counters changed; where counters live takes effect at the next start", origin);
        }
        config = next;
    }

    public RateLimiter rateLimiter() {
        return limiter;
    }

    public AlertDispatcher alerts() {
        return alerts;
    }

    /** Calls to Redis that failed (then counted locally or refused, by policy); 0 with in-memory counters. */
    public long counterFailures() {
        return store instanceof ResilientCounters r ? r.failures() : 0;
    }

    /** Shared by every engine this object makes, so the counts run on across reloads. */
    public BudgetMetrics metrics() {
        return metrics;
    }

    /**
     * The fair queue of an upstream key (created on first use, remade when its sizes change; permits of the old one
     * are released to it), or null when the section configures none.
     */
    public FairQueue fairQueue(String upstreamKey) {
        var f = config.fairQueue();
        if (f == null) {
            return null;
        }
        Queue q = queues.get(upstreamKey);
        if (q != null && q.config().equals(f)) {
            return q.queue();
        }
        return queues.compute(upstreamKey, (k, old) -> old != null && old.config().equals(f) ? old
                : new Queue(f, new FairQueue(vertx, f.maxConcurrent() == null ? 64 : f.maxConcurrent(),
                        f.queueSize() == null ? 256 : f.queueSize(), f.maxWait() == null ? Duration.ofSeconds(30) : f.maxWait(),
                        f.weights()))).queue();
    }

    @Override
    public void close() {
        if (rebuild != null) {
            rebuild.close();
        }
        alerts.close();
        limiter.close();
        store.close();
    }
}
