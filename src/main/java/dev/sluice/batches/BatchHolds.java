package dev.sluice.batches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
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
 *
 * <p>The row also keeps what each part asked for ({@link #asks}, migration V16): counters rebuilt from the ledger at a
 * start (in memory) hold no trace of holds, and {@link #retake} takes them again from it, so a batch still running
 * keeps counting against its caller's budgets across a restart until its results are billed.
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

    /** What each part asks for, as the batch's row keeps it: {@code [[model, input estimate, input bound, max_tokens], ...]}. */
    static String asks(List<BudgetRequest> parts) {
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (BudgetRequest p : parts) {
            all.addArray().add(p.model()).add(p.inputTokens()).add(p.inputBound()).add(p.maxTokens());
        }
        return all.toString();
    }

    /** The parts {@link #asks} wrote, as {@link #take} held them: attempts 1, 2, ... of the hold's id, for its owner. */
    static List<BudgetRequest> parts(String asks, String holdId, Identity who) {
        JsonNode all;
        try {
            all = Json.MAPPER.readTree(asks);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("message_batches.hold_asks of " + holdId + ": not JSON (expected: [[model, n, n, n], ...])", e);
        }
        List<BudgetRequest> parts = new ArrayList<>();
        for (JsonNode p : all) {
            parts.add(new BudgetRequest(holdId, parts.size() + 1, who, p.path(0).asText(), p.path(1).asLong(), p.path(2).asLong(),
                    p.path(3).asLong()));
        }
        return parts;
    }

    /**
     * Takes a batch's holds again (at a start whose counters were rebuilt from the ledger) for what is left of their
     * {@link #TTL} from its creation, never refused: the batch was admitted and runs. Completes with whether it holds.
     */
    Future<Boolean> retake(BatchStore.Held held, long nowMs) {
        BatchRow row = held.row();
        long left = row.createdMs() + TTL.toMillis() - nowMs;
        if (left <= 0) {
            return Future.succeededFuture(false); // lapsed: as it would have
        }
        BudgetEngine engine = budgets.get();
        Future<Void> chain = Future.succeededFuture();
        for (BudgetRequest part : parts(held.asks(), row.holdId(), row.owner())) {
            chain = chain.compose(v -> engine.retakeHold(part, Duration.ofMillis(left)));
        }
        return chain.map(v -> true);
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
