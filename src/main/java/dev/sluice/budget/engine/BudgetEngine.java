package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LineSpec;
import dev.sluice.budget.counter.LineState;
import dev.sluice.budget.counter.Refusal;
import dev.sluice.budget.counter.ReserveCall;
import dev.sluice.budget.counter.ReserveResult;
import dev.sluice.budget.counter.SettleCall;
import dev.sluice.budget.counter.SettleResult;
import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Period;
import dev.sluice.wire.Usage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget engine the budget stage calls: {@link #reserve} before forwarding an attempt (after routing, so the
 * served model is priced), {@link Admission#headers()} on the response, {@link #settle} when the attempt is over.
 *
 * <p>Futures complete on the caller's Vert.x context when there is one, so an exchange never changes threads.
 * The admission rule and its overshoot bound are in the {@code dev.sluice.budget.counter} package documentation
 * and docs/bench/budget.md.
 */
public final class BudgetEngine {
    private static final Logger log = LoggerFactory.getLogger(BudgetEngine.class);

    private final BudgetSet rules;
    private final CounterStore store;
    private final Pricing pricing;
    private final OutputEstimator estimator;
    private final Clock clock;
    private final long reservationTtlMillis;
    private final CrossingListener listener;
    private final BudgetMetrics metrics;
    private final ExtraBudgets extra;
    private final PoolRebalancer pools;
    private final PassedThresholds passed;
    private final int maxEntities;
    private final Map<String, SeenValues> wildcardTagValues = new ConcurrentHashMap<>();
    private final BatchHoldLines holds;

    /** The values of a {@code name=*} tag budget counted on their own in one period. */
    private record SeenValues(String period, Set<String> values) {
    }
    /** Nothing to seed. */
    public static final CompletableFuture<Void> SEEDED = CompletableFuture.completedFuture(null);
    /**
     * The longest a reservation or a status waits for the seed of budgets new in this engine. A seed reads the ledger
     * (after its last batch lands, ~200 ms) and takes a moment; one held up by a counters' outage must not hold
     * requests for its hour of retries, so past this they, and all later ones, are decided on the counters as they are.
     */
    static final Duration SEED_WAIT = Duration.ofSeconds(5);
    /** {@link #SEED_WAIT}, shorter in tests. */
    volatile Duration seedWait = SEED_WAIT;
    private volatile CompletableFuture<Void> seeded = SEEDED;

    public BudgetEngine(BudgetSet rules, CounterStore store, Pricing pricing, OutputEstimator estimator, Clock clock,
                        Duration reservationTtl, int maxEntities, CrossingListener listener) {
        this(rules, store, pricing, estimator, clock, reservationTtl, maxEntities, listener, new BudgetMetrics(), ExtraBudgets.NONE);
    }

    /**
     * An engine for one set of rules. A gateway makes a new one whenever its budgets change (a reload, an admin
     * change) and hands it the same store, estimator and metrics, so counters and what was learned survive.
     */
    public BudgetEngine(BudgetSet rules, CounterStore store, Pricing pricing, OutputEstimator estimator, Clock clock,
                        Duration reservationTtl, int maxEntities, CrossingListener listener, BudgetMetrics metrics,
                        ExtraBudgets extra) {
        this.metrics = metrics;
        this.extra = extra;
        this.rules = rules;
        this.store = store;
        this.pricing = pricing;
        this.estimator = estimator;
        this.clock = clock;
        this.reservationTtlMillis = reservationTtl.toMillis();
        this.maxEntities = maxEntities;
        this.listener = listener == null ? CrossingListener.NONE : listener;
        this.pools = new PoolRebalancer(store);
        this.holds = new BatchHoldLines(this, store, pricing, estimator, clock, pools);
        this.passed = new PassedThresholds(store, this.listener, metrics);
    }

    /**
     * What completes once the budgets new in this engine count their period's spend so far (a reload or an admin change
     * added them). Until then a request they apply to waits: a budget set below what a developer already spent must
     * refuse the very next request, not admit it against counters that start from zero.
     */
    public void seededBy(CompletableFuture<Void> seed) {
        this.seeded = seed;
    }

    public BudgetSet rules() {
        return rules;
    }

    public BudgetMetrics metrics() {
        return metrics;
    }

    public CounterStore store() {
        return store;
    }

    /** Output tokens the engine would reserve for {@code model} (the calibrated estimate), for token rate limits. */
    public long outputEstimate(String model, long maxTokens) {
        return estimator.estimate(model, maxTokens);
    }

    /** Every budget the caller falls under: the section's, then the extra ones (monthly caps). */
    public List<Applied> applicable(dev.sluice.pipeline.Identity who) {
        List<Applied> fromRules = rules.applicable(who);
        List<Applied> more = extra.applicable(who);
        if (more.isEmpty()) {
            return bounded(fromRules);
        }
        List<Applied> all = new ArrayList<>(fromRules.size() + more.size());
        all.addAll(fromRules);
        all.addAll(more);
        return bounded(all);
    }

    /** Checks every budget that applies and, if all admit, reserves the attempt's estimate on each, atomically. */
    public Future<Admission> reserve(BudgetRequest req) {
        return reserve(req, m -> true);
    }

    /**
     * As {@link #reserve(BudgetRequest)}, degrading only to a model {@code servable} accepts (one the route's upstream
     * serves); with none, the request keeps its model and the block threshold still holds the line.
     */
    public Future<Admission> reserve(BudgetRequest req, Predicate<String> servable) {
        List<Applied> applied = applicable(req.identity());
        if (applied.isEmpty()) {
            metrics.admitted.incrementAndGet();
            return Future.succeededFuture(new Admission(new Reservation(req, req.model(), "-", List.of()), req.model(), null, null, null));
        }
        return afterSeed(() -> reserve(req, applied, servable));
    }

    private Future<Admission> reserve(BudgetRequest req, List<Applied> applied, Predicate<String> servable) {
        Instant now = clock.instant();
        String tenant = CounterKeys.tenant(req.identity().orgId());
        Map<String, Map<String, Long>> shares = pools.shares(tenant, applied, now);
        return onCaller(attempt(req, req.model(), tenant, applied, now, shares, null, servable).recover(e -> {
            metrics.unavailable.incrementAndGet();
            log.error("budget counters unreachable, request {} refused (fail-closed): {}", req.id(), e.toString());
            BudgetStanding s = unknownStanding(applied.getFirst(), now);
            return Future.succeededFuture(new Admission(null, req.model(), null, s,
                    new BlockNotice(BlockNotice.Kind.UNAVAILABLE, s, rules.zone(), now)));
        }));
    }

    private Future<Admission> attempt(BudgetRequest req, String model, String tenant, List<Applied> applied, Instant now,
                                      Map<String, Map<String, Long>> shares, String degradedFrom, Predicate<String> servable) {
        long outE = estimator.estimate(model, req.maxTokens());
        long outW = Math.max(outE, req.maxTokens());
        LinePlan.Amounts a = new LinePlan.Amounts(pricing.estimate(model, req.inputTokens(), outE),
                pricing.worst(model, req.inputBound(), outW), req.inputTokens(), req.inputBound(), outE, outW);
        List<Charge> plan = LinePlan.build(tenant, applied, req.identity().userId(), a, now, shares);
        List<LineSpec> specs = plan.stream().map(Charge::spec).toList();
        return store.reserve(new ReserveCall(tenant, req.id(), now.toEpochMilli(), reservationTtlMillis, specs)).compose(r -> {
            passed.check(tenant, plan, r.states(), now);
            if (!r.admitted()) {
                return Future.succeededFuture(refused(plan, r, now, model));
            }
            if (degradedFrom == null) {
                int firing = degrading(plan, r.states());
                String target = firing < 0 ? null : Degrade.target(plan.get(firing).applied().rule().degrade(), model,
                        steps(plan.get(firing), r.states().get(firing)), pricing, servable);
                if (target != null) {
                    return attempt(req, target, tenant, applied, now, shares, model, servable);
                }
            }
            metrics.admitted.incrementAndGet();
            if (degradedFrom != null) {
                metrics.degraded.incrementAndGet();
            }
            List<Charge> charged = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                if (r.states().get(i).charged()) {
                    charged.add(plan.get(i));
                }
            }
            Reservation res = new Reservation(req, model, tenant, r.duplicate() ? List.of() : charged);
            return Future.succeededFuture(new Admission(res, model, degradedFrom, Standings.tightest(plan, r.states(), now, rules), null));
        });
    }

    /**
     * Settles an attempt with what it actually used and cost, releasing the rest of its reservation; reports each
     * threshold it made its budgets cross. Idempotent per (request id, attempt).
     */
    public Future<Void> settle(Reservation res, Usage usage, long costNanoUsd) {
        return settle(res, usage, costNanoUsd, true);
    }

    /**
     * As {@link #settle(Reservation, Usage, long)}; {@code learn} false for an exchange without a whole answer of its
     * model (a cache hit, a request turned away before or by the upstream), whose output says nothing of what the model
     * writes: their zeros pulled the output estimate to its floor.
     */
    public Future<Void> settle(Reservation res, Usage usage, long costNanoUsd, boolean learn) {
        if (learn) {
            estimator.observe(res.model(), usage.outputTokens());
        }
        return apply(res, usage, costNanoUsd);
    }

    /**
     * Holds what an admitted Message Batch may spend on its caller's budgets for {@code ttl}, or until
     * {@link #releaseHold} ({@link BatchHoldLines}: reserved as one request of its size would be, shared so any replica
     * gives it back). True when held.
     */
    public Future<Boolean> hold(BudgetRequest req, Duration ttl) {
        return holds.hold(req, ttl);
    }

    /**
     * Takes again, for {@code ttl}, a hold {@link #hold} took in an earlier run, on counters rebuilt from the ledger at
     * this start (which knows nothing of holds); never refused, since its batch was admitted and is running.
     */
    public Future<Void> retakeHold(BudgetRequest req, Duration ttl) {
        return holds.retake(req, ttl);
    }

    /** Gives back what {@link #hold} took for attempts 1 to {@code parts} of {@code requestId}, rebuilt from the id. */
    public Future<Void> releaseHold(String requestId, int parts, dev.sluice.pipeline.Identity who) {
        return holds.release(requestId, parts, who);
    }

    /** Gives back a reservation whose attempt never reached the upstream (it says nothing about output lengths). */
    public Future<Void> release(Reservation res) {
        return apply(res, Usage.ZERO, 0);
    }

    /**
     * Adds spend that had no reservation of its own: a Message Batch's succeeded request, billed when its results are
     * read or swept, long after the batch was admitted. Every line the caller's budgets count takes it, admitted or
     * not (the upstream already did the work); a pool member's spend goes on its share line. Idempotent per
     * {@code id}, as a settle is.
     */
    public Future<Void> charge(String id, dev.sluice.pipeline.Identity who, String model, Usage usage, long costNanoUsd) {
        List<Applied> applied = applicable(who);
        if (applied.isEmpty()) {
            return Future.succeededFuture();
        }
        return afterSeed(() -> {
            Instant now = clock.instant();
            String tenant = CounterKeys.tenant(who.orgId());
            List<Charge> plan = LinePlan.build(tenant, applied, who.userId(), LinePlan.Amounts.ZERO, now,
                    pools.shares(tenant, applied, now));
            List<Charge> lines = plan.stream().filter(c -> c.role() != Charge.Role.OVERFLOW).toList();
            return apply(new Reservation(new BudgetRequest(id, 1, who, model, 0, 0), model, tenant, lines), usage, costNanoUsd);
        });
    }

    private Future<Void> apply(Reservation res, Usage usage, long costNanoUsd) {
        if (res.empty()) {
            return Future.succeededFuture();
        }
        Instant now = clock.instant();
        List<LineSpec> specs = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        for (Charge c : res.charged()) {
            long actual = c.limit().metric().of(usage, costNanoUsd);
            if (actual > c.spec().worst()) {
                metrics.overBound.incrementAndGet();
            }
            specs.add(c.spec());
            amounts.add(actual);
        }
        SettleCall call = new SettleCall(res.tenant(), res.request().id(), now.toEpochMilli(), specs, amounts);
        return onCaller(store.settle(call).map(r -> {
            if (r.duplicate()) {
                metrics.duplicateSettles.incrementAndGet();
            } else {
                metrics.settled.incrementAndGet();
                crossings(res, r, now);
            }
            return (Void) null;
        }).onFailure(e -> {
            metrics.settleErrors.incrementAndGet();
            log.error("budget settle for {} failed: {} (the ledger still has it; counters rebuild from it)", res.request().id(), e.toString());
        }));
    }

    /** Where the caller stands on every budget that applies, without reserving (status, /api/oauth/usage). */
    public Future<List<BudgetStanding>> status(dev.sluice.pipeline.Identity who) {
        List<Applied> applied = applicable(who);
        if (applied.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return afterSeed(() -> status(who, applied));
    }

    private Future<List<BudgetStanding>> status(dev.sluice.pipeline.Identity who, List<Applied> applied) {
        Instant now = clock.instant();
        String tenant = CounterKeys.tenant(who.orgId());
        List<Charge> plan = LinePlan.build(tenant, applied, who.userId(), LinePlan.Amounts.ZERO, now,
                pools.shares(tenant, applied, now));
        return onCaller(store.read(tenant, now.toEpochMilli(), plan.stream().map(Charge::spec).toList())
                .map(states -> Standings.all(plan, states, now, rules)));
    }

    private Admission refused(List<Charge> plan, ReserveResult r, Instant now, String model) {
        BlockNotice.Kind kind = r.refusal() == Refusal.EXHAUSTED ? BlockNotice.Kind.EXHAUSTED : BlockNotice.Kind.IN_FLIGHT;
        (kind == BlockNotice.Kind.EXHAUSTED ? metrics.exhausted : metrics.inFlight).incrementAndGet();
        BudgetStanding s = Standings.of(plan.get(r.refusedAt()), r.states().get(r.refusedAt()), now, rules);
        return new Admission(null, model, null, s, new BlockNotice(kind, s, rules.zone(), now));
    }

    private void crossings(Reservation res, SettleResult r, Instant now) {
        for (int i = 0; i < res.charged().size(); i++) {
            Charge c = res.charged().get(i);
            if (c.role() != Charge.Role.TOTAL) {
                continue;
            }
            long before = r.before().get(i);
            long after = r.after().get(i);
            for (var t : c.applied().rule().thresholds()) {
                long line = t.lineOf(c.amount());
                if (before < line && after >= line) {
                    Crossing x = new Crossing(c.applied().rule(), c.applied().entity(), res.tenant(), t, c.limit().metric(), c.amount(),
                            after, c.window(), now);
                    String token = PassedThresholds.token(c.spec().key(), t.percent());
                    store.claim(res.tenant(), token, PassedThresholds.ttl(now, c.window().end())).onSuccess(first -> {
                        passed.claimed(res.tenant(), token);
                        if (first) {
                            metrics.crossings.incrementAndGet();
                            listener.crossed(x);
                        }
                    });
                }
            }
        }
    }

    /**
     * The budget (its index in the plan; -1 for none) whose degrade threshold decides: of the budgets past a degrade line, the one asking for the most steps
     * down (ties: the first in the plan, the narrowest scope). Its own chain is the one followed: another budget's chain
     * (a team's, not near its line) says nothing about where this one's developer should go.
     */
    private static int degrading(List<Charge> plan, List<LineState> states) {
        int pick = -1;
        int most = 0;
        for (int i = 0; i < plan.size(); i++) {
            Charge c = plan.get(i);
            if (c.role() != Charge.Role.TOTAL || c.applied().rule().degrade().isEmpty()) {
                continue;
            }
            int s = steps(c, states.get(i));
            if (s > most) {
                most = s;
                pick = i;
            }
        }
        return pick;
    }

    /**
     * How far down a budget's degrade sends this request: from where the budget stands with the request's calibrated
     * estimate counted (a request degrades once it would take the budget past the line), never its worst case. Near the
     * line the store reserves the worst case to bound the overshoot (AdmissionRule.charge), and counting that degraded
     * every large request on a small budget at 0% spend: a Claude Code turn may ask for 128,000 output tokens, ~$2.70 on
     * Opus, most of a $3 budget. The block threshold still holds the line against the worst case.
     */
    private static int steps(Charge c, LineState s) {
        long worstPart = 0;
        if (s.charged()) {
            // Far from the line the store reserved the estimate (the rest of the worst case as slack); near it, the worst
            // case. Which one shows in the numbers after the call: s + r + d <= cap iff far.
            long cap = c.spec().cap();
            boolean far = cap < 0 || s.settled() + s.reserved() + s.slack() <= cap;
            worstPart = far ? 0 : c.spec().worst() - c.spec().estimate();
        }
        double pct = 100.0 * (s.settled() + Math.max(0, s.reserved() - worstPart)) / Math.max(1, c.amount());
        return c.applied().rule().degradeSteps(pct);
    }

    /**
     * Client-chosen tag values under a {@code name=*} budget share one "(other)" counter past the bound, per period: the
     * values seen were once kept for the engine's life, so after {@code maxEntities} values ever (weeks of tickets or
     * sessions on a daily budget) every new value shared "(other)", one budget for all of them (round 23).
     */
    private List<Applied> bounded(List<Applied> applied) {
        List<Applied> out = applied;
        for (int i = 0; i < applied.size(); i++) {
            Applied ap = applied.get(i);
            if (ap.rule().level() != Level.TAG || !ap.rule().each()) {
                continue;
            }
            Set<String> seen = seen(ap.rule());
            if (!seen.contains(ap.entity()) && (seen.size() >= maxEntities || !seen.add(ap.entity()))) {
                if (out == applied) {
                    out = new ArrayList<>(applied);
                }
                out.set(i, new Applied(ap.rule(), "(other)"));
            }
        }
        return out;
    }

    /** The values seen this period by a {@code name=*} tag budget; a new period starts a new set. */
    private Set<String> seen(BudgetRule rule) {
        Instant now = clock.instant();
        String period = rule.period() instanceof Period.Rolling r
                ? "r" + Math.floorDiv(now.toEpochMilli(), r.length().toMillis()) // a rolling window: one set per length of it
                : rule.period().window(now).id();
        SeenValues s = wildcardTagValues.get(rule.name());
        if (s != null && s.period().equals(period)) {
            return s.values();
        }
        return wildcardTagValues.compute(rule.name(), (k, old) -> old != null && old.period().equals(period) ? old
                : new SeenValues(period, ConcurrentHashMap.newKeySet())).values();
    }

    /** The pools' rebalancer (for tests). */
    PoolRebalancer pools() {
        return pools;
    }

    private BudgetStanding unknownStanding(Applied ap, Instant now) {
        var limit = ap.rule().limits().getFirst();
        return new BudgetStanding(ap.rule().name(), ap.rule().level(), ap.entity(), ap.rule().level().shared(), limit.metric(),
                limit.amount(), 0, 0, ap.rule().period().window(now).end(), ap.rule().period().label(), ap.rule().owner().contact(),
                List.of(), Math.max(0, ap.rule().blockPercent()) / 100.0, "budget");
    }

    /** Completes on the caller's context (an event loop), not the Redis connection's. */
    /** {@code then} now when nothing is being seeded, else once the seed is done (at most {@link #SEED_WAIT}), on the caller's context. */
    <T> Future<T> afterSeed(Supplier<Future<T>> then) {
        CompletableFuture<Void> seed = seeded;
        if (seed.isDone()) {
            return then.get();
        }
        Context ctx = Vertx.currentContext();
        Promise<T> p = Promise.promise();
        seed.copy().completeOnTimeout(null, seedWait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (!seed.isDone() && seeded == seed) {
                // A seed held up by a counters' outage retries for an hour: later requests must not each wait again.
                seeded = SEEDED;
                log.warn("budget counters: new budgets are still being seeded from the ledger after {} s; requests are"
                        + " decided on the counters as they are meanwhile", seedWait.toSeconds());
            }
            Runnable decide = () -> {
                try {
                    then.get().onComplete(p);
                } catch (RuntimeException failed) {
                    p.tryFail(failed); // thrown here it would be lost in the seed's future, and the request would hang
                }
            };
            if (ctx == null) {
                decide.run();
            } else {
                ctx.runOnContext(x -> decide.run());
            }
        });
        return p.future();
    }

    public static <T> Future<T> onCaller(Future<T> f) {
        Context ctx = Vertx.currentContext();
        if (ctx == null || f.isComplete()) {
            return f;
        }
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> ctx.runOnContext(v -> p.handle(ar)));
        return p.future();
    }
}
