package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LineSpec;
import dev.sluice.budget.counter.ReserveCall;
import dev.sluice.budget.counter.ReserveResult;
import dev.sluice.budget.counter.SettleCall;
import dev.sluice.budget.rules.Applied;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The engine's holds for Message Batches ({@link BudgetEngine#hold}, {@link BudgetEngine#releaseHold}): a batch's parts
 * reserved for hours as {@code shared} reservations, and given back from their id alone.
 */
final class BatchHoldLines {
    private final BudgetEngine engine;
    private final CounterStore store;
    private final Pricing pricing;
    private final OutputEstimator estimator;
    private final Clock clock;
    private final PoolRebalancer pools;

    BatchHoldLines(BudgetEngine engine, CounterStore store, Pricing pricing, OutputEstimator estimator, Clock clock,
                   PoolRebalancer pools) {
        this.engine = engine;
        this.store = store;
        this.pricing = pricing;
        this.estimator = estimator;
        this.clock = clock;
        this.pools = pools;
    }

    /**
     * Holds what an admitted Message Batch may spend on its caller's budgets for {@code ttl}, or until
     * {@link #release}: reserved as one request of its size would be (its estimate, and its worst case as slack, which
     * admission counts), since the batch spends hours later, result by result, and until then the next batch and every
     * message must count it. Refused, like a request, when a line has no room; counters out of reach refuse it too
     * (fail-closed). (Requests and tokens per minute are not budgets but {@code budget.limit}'s, and are not held.)
     */
    Future<Boolean> hold(BudgetRequest req, Duration ttl) {
        return hold(req, ttl, false);
    }

    /**
     * Takes a hold again at a start whose counters were rebuilt from the ledger (in memory), which holds no trace of it:
     * the batch was admitted and runs, so its lines take it whatever they hold (no line refuses; a pool member's part
     * lands on its share line).
     */
    Future<Void> retake(BudgetRequest req, Duration ttl) {
        return hold(req, ttl, true).mapEmpty();
    }

    private Future<Boolean> hold(BudgetRequest req, Duration ttl, boolean neverRefused) {
        List<Applied> applied = engine.applicable(req.identity());
        if (applied.isEmpty()) {
            return Future.succeededFuture(true);
        }
        return engine.afterSeed(() -> {
            Instant now = clock.instant();
            String tenant = CounterKeys.tenant(req.identity().orgId());
            long outE = estimator.estimate(req.model(), req.maxTokens());
            long outW = Math.max(outE, req.maxTokens());
            LinePlan.Amounts a = new LinePlan.Amounts(pricing.estimate(req.model(), req.inputTokens(), outE),
                    pricing.worst(req.model(), req.inputBound(), outW), req.inputTokens(), req.inputBound(), outE, outW);
            List<LineSpec> specs = specs(LinePlan.build(tenant, applied, req.identity().userId(), a, now,
                    pools.shares(tenant, applied, now)));
            if (neverRefused) {
                specs = specs.stream().map(l -> new LineSpec(l.key(), -1, l.estimate(), l.worst(), l.bucketMillis(), l.buckets(),
                        l.ttlMillis(), l.group())).toList();
            }
            return BudgetEngine.onCaller(store.reserve(new ReserveCall(tenant, req.id(), now.toEpochMilli(), ttl.toMillis(), specs, true))
                    .map(ReserveResult::admitted));
        });
    }

    /**
     * Gives back the holds {@link #hold} took for attempts 1 to {@code parts} of {@code requestId}: the batch's results
     * are billed (or it is gone). Rebuilt from the caller's budgets rather than kept, so a restarted gateway releases a
     * hold an earlier run took (shared counters keep it); one never taken, or already released, changes nothing.
     */
    Future<Void> release(String requestId, int parts, dev.sluice.pipeline.Identity who) {
        List<Applied> applied = engine.applicable(who);
        if (applied.isEmpty() || parts <= 0) {
            return Future.succeededFuture();
        }
        return engine.afterSeed(() -> {
            Instant now = clock.instant();
            String tenant = CounterKeys.tenant(who.orgId());
            List<LineSpec> specs = specs(LinePlan.build(tenant, applied, who.userId(), LinePlan.Amounts.ZERO, now,
                    pools.shares(tenant, applied, now)));
            List<Long> zeros = java.util.Collections.nCopies(specs.size(), 0L);
            Future<Void> all = Future.succeededFuture();
            for (int part = 1; part <= parts; part++) {
                String id = new BudgetRequest(requestId, part, who, "-", 0, 0).id();
                all = all.compose(v -> store.settle(new SettleCall(tenant, id, now.toEpochMilli(), specs, zeros)).<Void>mapEmpty());
            }
            return BudgetEngine.onCaller(all);
        });
    }

    private static List<LineSpec> specs(List<Charge> plan) {
        return plan.stream().map(Charge::spec).toList();
    }
}
