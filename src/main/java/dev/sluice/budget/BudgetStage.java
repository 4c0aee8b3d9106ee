package dev.sluice.budget;

import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.limit.FairQueue;
import dev.sluice.budget.limit.RateLimiter;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.provider.catalog.ModelCatalog;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets, rate limits and fair sharing of upstream accounts, after routing (so the served model is priced) and
 * before anything is forwarded. For a model request, in this order:
 *
 * <ol>
 *   <li>rate limits of the caller and of the upstream key the first attempt will use: a 429
 *       {@code rate_limit_error} with {@code retry-after} when one is over;</li>
 *   <li>every budget that applies (the section's, the admin's, the monthly caps of users and keys) checked and
 *       reserved in one atomic step ({@link BudgetEngine#reserve}): refused with the 429 {@code billing_error} Claude
 *       Code renders at the line, or a retryable 429 while requests in flight could cross it; a degrade threshold
 *       swaps the served model for a cheaper one ({@link DegradedPlan}, {@code x-sluice-degraded-from});</li>
 *   <li>a slot on that upstream key's fair queue, when one is configured (teams share a saturated account by weight).</li>
 * </ol>
 * The rate-limit check and the reservation are sent together (the rate limit's answer decides first, as if it had
 * been checked first; a reservation it makes useless is released at once).
 * The response carries the caller's standing in Claude Code's {@code anthropic-ratelimit-unified-*} headers plus
 * {@code x-sluice-budget} and, past a warning threshold, {@code x-sluice-budget-warning}. The reservation is settled
 * once per exchange with what every attempt used ({@link BudgetTicket} says why), the rate-limit tokens corrected,
 * the slot released.
 */
public final class BudgetStage implements Stage {
    /** Assumed {@code max_tokens} when a body has none (the upstream refuses such a request, so it is rarely used). */
    static final long DEFAULT_MAX_TOKENS = 32_000;
    private static final Logger log = LoggerFactory.getLogger(BudgetStage.class);

    private final EffectiveBudgets effective;
    private final Budgets budgets;
    private final InputTokens inputs;
    private final BudgetStandings standings;
    private final LongAdder limiterErrors = new LongAdder();

    BudgetStage(EffectiveBudgets effective, Budgets budgets, InputTokens inputs, BudgetStandings standings) {
        this.effective = effective;
        this.budgets = budgets;
        this.inputs = inputs;
        this.standings = standings;
    }

    @Override
    public String name() {
        return "budget";
    }

    /** Rate-limit checks that failed (counters unreachable) and were let through. */
    long limiterErrors() {
        return limiterErrors.sum();
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        if (ex.operation() != Operation.MESSAGES || ex.identity() == null || ex.plan() == null || ex.plan().first() == null) {
            return CONTINUE;
        }
        Target first = ex.plan().first();
        String model = first.servedModel() != null ? first.servedModel() : ex.facts().model();
        if (model == null) {
            return CONTINUE; // the upstream refuses a request without a model, and bills nothing
        }
        RequestBody body = ex.body();
        int bytes = body == null ? 0 : body.length();
        BudgetEngine engine = effective.engine(ex.snapshot());
        // Only a rate limit or a budget reads the count; for a caller neither applies to, the body is not scanned
        // for image and document blocks (a second pass over tens of kilobytes that nothing would use).
        boolean charged = !budgets.rateLimiter().isEmpty() || !engine.applicable(ex.identity()).isEmpty();
        InputTokens.Count in = charged ? inputs.count(model, body == null ? null : body.array(), bytes) : inputs.textOnly(model, bytes);
        long maxTokens = ex.facts().maxTokens() >= 0 ? ex.facts().maxTokens() : DEFAULT_MAX_TOKENS;
        BudgetTicket t = new BudgetTicket(engine, bytes);
        ex.put(BudgetTicket.KEY, t);
        String alias = UpstreamKeys.first(ex, first);
        long tokens = in.estimate() + t.engine.outputEstimate(model, maxTokens);
        BudgetRequest req = new BudgetRequest(ex.requestId(), 1, ex.identity(), model, in.estimate(), in.bound(), maxTokens);
        if (budgets.rateLimiter().isEmpty()) {
            return reserve(ex, t, req).compose(v -> queue(ex, t, alias));
        }
        // Both at once: one round trip on the request's timeline instead of two. A reservation taken for a request
        // the rate limit refuses is released by onComplete (a settle of nothing), as when the fair queue refuses.
        Future<Void> rated = rate(ex, t, alias, tokens);
        Future<Void> reserved = reserve(ex, t, req);
        return Future.join(rated, reserved).transform(ar -> {
            if (rated.failed()) {
                if (t.admission != null) {
                    t.engine.release(t.admission.reservation());
                    t.admission = null; // nothing to settle, no budget headers on the rate limit's 429
                }
                return rated;
            }
            return reserved.failed() ? reserved : queue(ex, t, alias);
        });
    }

    private Future<Void> rate(Exchange ex, BudgetTicket t, String alias, long tokens) {
        RateLimiter limiter = budgets.rateLimiter();
        if (limiter.isEmpty()) {
            return CONTINUE;
        }
        return BudgetEngine.onCaller(limiter.check(ex.identity(), alias, tokens)).transform(ar -> {
            if (ar.failed()) {
                limiterErrors.increment();
                log.warn("request {}: rate limits could not be checked ({}); let through", ex.requestId(), ar.cause().toString());
                return CONTINUE;
            }
            if (!ar.result().allowed()) {
                return Future.failedFuture(ar.result().toApiError());
            }
            t.rate = ar.result();
            return CONTINUE;
        });
    }

    private Future<Void> reserve(Exchange ex, BudgetTicket t, BudgetRequest req) {
        Supplier<ModelCatalog> catalog = () -> catalog(ex);
        // read only when a degrade fires: what the request asks of a model (a cheaper one must be able to take it)
        Predicate<String> canTake = m -> ModelLimits.builtIn().canTake(ModelLimits.needs(ex)).test(m);
        return t.engine.reserve(req, DegradeTargets.servable(ex.plan().first(), catalog).and(canTake)).compose(a -> {
            if (!a.admitted()) {
                return Future.failedFuture(a.block().toApiError());
            }
            t.admission = a;
            if (a.degraded()) {
                ex.plan(new DegradedPlan(ex.plan(), a.degradedFrom(), a.model(),
                        target -> DegradeTargets.servable(target, catalog).test(a.model())));
                ModelLimits.builtIn().clampMaxTokens(ex, a.model());
            }
            return CONTINUE;
        });
    }

    /** True when the client's connection closed while the request waited (nothing reads its answer any more). */
    private static boolean clientLeft(Exchange ex) {
        return ex.clientGone() || (ex.request() != null && ex.response() != null && ex.response().closed());
    }

    /** What the configuration says each upstream serves; null when the snapshot has no catalog (unit tests). */
    private static ModelCatalog catalog(Exchange ex) {
        try {
            return ex.snapshot() == null ? null : ex.snapshot().get(ModelCatalog.PART);
        } catch (IllegalStateException notRegistered) {
            return null;
        }
    }

    private Future<Void> queue(Exchange ex, BudgetTicket t, String alias) {
        FairQueue q = alias == null ? null : budgets.fairQueue(alias);
        if (q == null) {
            return CONTINUE;
        }
        return q.acquire(ex.identity().teamId()).transform(ar -> {
            if (ar.succeeded()) {
                t.permit = ar.result();
                if (clientLeft(ex)) {
                    // It waited for the busy account and its client gave up meanwhile: forwarding it now would pay for an
                    // answer no one reads, charged to the developer's budget (round 23). The slot goes to the next waiter.
                    t.permit.release();
                    return Future.failedFuture(new ApiError(499, "client_closed", "the client closed the connection while the"
                            + " request waited for the busy upstream account; it was not forwarded", false, Map.of()));
                }
                return CONTINUE;
            }
            return Future.failedFuture(ar.cause() instanceof FairQueue.Rejected r ? r.toApiError() : ar.cause());
        });
    }

    @Override
    public void onAttemptEnd(Exchange ex, Attempt a) {
        BudgetTicket t = ex.get(BudgetTicket.KEY);
        if (t == null || t.admission == null) {
            return;
        }
        t.add(a.usage(), a.cost().nanoUsd());
        if (a.committed()) {
            inputs.observe(a.target().servedModel(), t.bodyBytes, a.usage().promptTokens());
            settle(ex, t, a.status() >= 200 && a.status() < 300 && a.errorType() == null); // only a whole answer teaches the estimate
        }
    }

    @Override
    public void onResponse(Exchange ex) {
        BudgetTicket t = ex.get(BudgetTicket.KEY);
        if (t == null || t.admission == null) {
            return;
        }
        Admission a = t.admission;
        // A whole answer's cost is known by now: the standing then includes this request.
        boolean known = !ex.streaming() && ex.lastAttempt() != null && ex.lastAttempt().ended();
        (known ? a.headers(t.usage(), t.costNanoUsd()) : a.headers()).forEach((k, v) -> ex.responseHeaders().set(k, v));
    }

    @Override
    public void onComplete(Exchange ex) {
        BudgetTicket t = ex.get(BudgetTicket.KEY);
        if (t == null) {
            return;
        }
        // No committed answer by now (a cache hit, the fair queue or the upstream turned it away): nothing to learn from
        settle(ex, t, false);
        if (t.permit != null) {
            t.permit.release();
        }
        if (t.rate != null) {
            budgets.rateLimiter().adjust(t.rate, ex.usage().totalTokens())
                    .onFailure(e -> log.warn("request {}: rate-limit tokens not corrected: {}", ex.requestId(), e.toString()));
        }
    }

    /** Once per exchange: every attempt's usage and cost so far against the one reservation (idempotent in the store too). */
    private void settle(Exchange ex, BudgetTicket t, boolean learn) {
        if (!t.settleNow()) {
            return;
        }
        t.engine.settle(t.admission.reservation(), t.usage(), t.costNanoUsd(), learn)
                .onComplete(ar -> standings.forget(ex.identity()));
    }
}
