package dev.sluice.budget.engine;

import dev.sluice.budget.alert.AlertDispatcher;
import dev.sluice.budget.alert.AlertSinks;
import dev.sluice.budget.alert.HistorySource;
import dev.sluice.budget.alert.LedgerHistory;
import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.counter.RedisLink;
import dev.sluice.budget.counter.ResilientCounters;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.limit.FairQueue;
import dev.sluice.budget.limit.RateLimiter;
import dev.sluice.budget.limit.RateRule;
import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the {@code budgets:} section asks for, built and started: the engine (with memory or Redis counters
 * and the fail-open/closed policy), the rebuild from the ledger, alert sinks, rate limits and fair queues. Blocking
 * work (the first rebuild) happens in {@link #start}, which belongs with the other long-lived parts opened before
 * the front starts.
 */
public final class Budgets implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final BudgetsConfig config;
    private final BudgetEngine engine;
    private final RateLimiter limiter;
    private final AlertDispatcher alerts;
    private final CounterStore store;
    private final Vertx vertx;
    private final long rebuildTimer;
    private final Map<String, FairQueue> queues = new ConcurrentHashMap<>();

    private Budgets(BudgetsConfig config, BudgetEngine engine, RateLimiter limiter, AlertDispatcher alerts, CounterStore store, Vertx vertx,
                    long rebuildTimer) {
        this.config = config;
        this.engine = engine;
        this.limiter = limiter;
        this.alerts = alerts;
        this.store = store;
        this.vertx = vertx;
        this.rebuildTimer = rebuildTimer;
    }

    /**
     * Validates the section (every problem in one {@link BudgetConfigException}), connects, rebuilds the counters
     * from the ledger if they are empty, and starts the periodic check for a flushed Redis.
     *
     * @param ledger the ledger's data source, or null to skip rebuilds and projections (tests)
     */
    public static Budgets start(String origin, BudgetsConfig cfg, Vertx vertx, Pricing pricing, DataSource ledger, boolean postgres,
                                Clock clock) {
        BudgetSet rules = BudgetRules.compile(origin, cfg);
        rules.warnings().forEach(w -> log.warn("{}: {}", origin, w));
        List<RateRule> rateRules = RateRule.fromConfig(origin, cfg.rateLimits());
        var c = cfg.counters();
        String kind = c.store() == null ? "memory" : c.store().toLowerCase(Locale.ROOT);
        Duration timeout = c.timeout() == null ? Duration.ofMillis(250) : c.timeout();
        CounterStore store;
        RedisLink rateLink = null;
        switch (kind) {
            case "memory" -> store = new MemoryCounters();
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
                store = new ResilientCounters(redis, new MemoryCounters(),
                        policy.equals("fail-open") ? ResilientCounters.Policy.FAIL_OPEN : ResilientCounters.Policy.FAIL_CLOSED);
                rateLink = rateRules.isEmpty() ? null : new RedisLink(vertx, c.redisUrl(), timeout);
            }
            default -> throw new BudgetConfigException(origin, List.of("budgets.counters.store: '" + c.store() + "' (expected: memory or redis)"));
        }
        var a = cfg.alerts();
        HistorySource history = ledger == null ? HistorySource.NONE : new LedgerHistory(new LedgerSpend(ledger, postgres), rules.zone());
        AlertDispatcher alerts = new AlertDispatcher(AlertSinks.fromConfig(origin, a.sinks()), history, rules.zone(),
                a.queue() == null ? 1000 : a.queue(), a.retries() == null ? 3 : a.retries(), Duration.ofMillis(500), 1);
        var oe = cfg.outputEstimate();
        OutputEstimator estimator = new OutputEstimator(oe.initialTokens() == null ? 2048 : oe.initialTokens(),
                oe.sigmas() == null ? 2.0 : oe.sigmas(), oe.minTokens() == null ? 256 : oe.minTokens());
        BudgetEngine engine = new BudgetEngine(rules, store, pricing, estimator, clock,
                c.reservationTtl() == null ? Duration.ofMinutes(15) : c.reservationTtl(), c.maxEntities() == null ? 1000 : c.maxEntities(),
                alerts);
        long timer = -1;
        if (ledger != null && !rules.isEmpty()) {
            CounterRebuild rebuild = new CounterRebuild(rules.rules(), store, new LedgerSpend(ledger, postgres), clock);
            try {
                rebuild.rebuildIfNeeded();
            } catch (RuntimeException e) {
                log.error("budget counters: rebuild from the ledger failed at start, will retry: {}", e.toString());
            }
            timer = kind.equals("redis") ? rebuild.schedule(vertx, Duration.ofSeconds(10)) : -1;
        }
        return new Budgets(cfg, engine, new RateLimiter(rateRules, clock, rateLink), alerts, store, vertx, timer);
    }

    public BudgetEngine engine() {
        return engine;
    }

    public RateLimiter rateLimiter() {
        return limiter;
    }

    public AlertDispatcher alerts() {
        return alerts;
    }

    /** The fair queue of an upstream key (created on first use), or null when the section configures none. */
    public FairQueue fairQueue(String upstreamKey) {
        var f = config.fairQueue();
        if (f == null) {
            return null;
        }
        return queues.computeIfAbsent(upstreamKey, k -> new FairQueue(vertx, f.maxConcurrent() == null ? 64 : f.maxConcurrent(),
                f.queueSize() == null ? 256 : f.queueSize(), f.maxWait() == null ? Duration.ofSeconds(30) : f.maxWait(), f.weights()));
    }

    @Override
    public void close() {
        if (rebuildTimer >= 0) {
            vertx.cancelTimer(rebuildTimer);
        }
        alerts.close();
        limiter.close();
        store.close();
    }
}
