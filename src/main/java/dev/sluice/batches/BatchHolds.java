package dev.sluice.batches;

import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a batch holds on its caller's budgets from its creation until its results are billed. Admission alone
 * ({@code BatchCalls.admitted}) checks one batch against what is spent and in flight, then lets go, since the batch spends
 * hours later; without a hold, ten batches that each fit a budget were all admitted and together spent ten times what
 * was left. Each part is held as a request of its size is while in flight (its worst case counts against admission) on
 * the caller's budgets ({@link BudgetEngine#hold}) under the
 * id {@code <create request id>:hold}, kept in the batch's row, and given back when its results are billed, or when the
 * create fails. A hold lapses by itself after {@link #TTL}, so one a crash left behind cannot block a budget for long.
 */
final class BatchHolds {
    private static final Logger LOG = LoggerFactory.getLogger(BatchHolds.class);
    /** A batch ends within 24 hours of its creation (the API's limit); an hour's margin past that. */
    static final Duration TTL = Duration.ofHours(25);

    private final Supplier<BudgetEngine> budgets;

    BatchHolds(Supplier<BudgetEngine> budgets) {
        this.budgets = budgets;
    }

    static String holdId(String createRequestId) {
        return createRequestId + ":hold";
    }

    /**
     * Holds every part of {@code plan}; completes with how many. A part that does not fit (the caller's other batches
     * still running took the room) refuses the batch with a 429 billing_error, without retry-after, and gives back the
     * parts already held.
     */
    Future<Integer> take(BatchRequests.Plan plan, Identity who, String holdId) {
        BudgetEngine engine = budgets.get();
        List<BudgetRequest> parts = plan.asks().parts(holdId, who);
        Future<Void> chain = Future.succeededFuture();
        for (BudgetRequest part : parts) {
            chain = chain.compose(v -> engine.hold(part, TTL).compose(ok -> ok ? Future.<Void>succeededFuture()
                    : Future.failedFuture(new ApiError(429, "billing_error", "this batch's worst case does not fit what"
                            + " is left of the budget once this key's batches still running are counted; wait for them to"
                            + " end, split the batch, or raise the budget", false, Map.of()))));
        }
        return chain.transform(ar -> ar.succeeded() ? Future.succeededFuture(parts.size())
                : giveBack(holdId, parts.size(), who).transform(x -> Future.failedFuture(ar.cause())));
    }

    /** Gives back a billed (or gone) batch's holds. */
    Future<Void> giveBack(BatchRow row) {
        return row.holdId() == null ? Future.succeededFuture() : giveBack(row.holdId(), row.holdParts(), row.owner());
    }

    /** Never fails: a hold not given back lapses at its TTL, which the log says. */
    Future<Void> giveBack(String holdId, int parts, Identity who) {
        return budgets.get().releaseHold(holdId, parts, who).recover(e -> {
            LOG.warn("budget holds {} not given back ({}); they lapse within {} hours", holdId, e.toString(), TTL.toHours());
            return Future.succeededFuture();
        });
    }
}
