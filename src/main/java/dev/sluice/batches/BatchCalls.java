package dev.sluice.batches;

import dev.sluice.budget.InputTokens;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.Reservation;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.guard.stage.BatchGuard;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each Message Batches call does, off the HTTP plumbing ({@link BatchesEndpoint}): create checks, routes and forwards
 * a batch and remembers it; the calls on one batch go to the upstream and key that created it; reading results bills them.
 * Database work runs on worker threads; upstream calls and the relay stay on the caller's event loop.
 */
final class BatchCalls {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCalls.class);

    /** An upstream's answer, read whole (batch objects are small). */
    record Answer(int status, String contentType, Buffer body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    final BatchStore store;
    final BatchUpstream upstream;
    final BatchHolds holds;
    final ResultBilling billing;
    /** Set once by {@link Batches#audit}; read on every call. */
    volatile BatchAudit audit = BatchAudit.NONE;
    /** Set once by {@link Batches#countedBefore}: when the budget counters last counted the ledger in (0: never). */
    volatile java.util.function.LongSupplier countedBefore = () -> 0;
    /** Set once by {@link Batches#models}; read on every call. */
    volatile ModelGate models = ModelGate.OPEN;
    private final Vertx vertx;
    private final LiveConfig live;
    private final Supplier<BudgetEngine> budgets;
    private final InputTokens inputs;
    private final BatchGuard guard;

    BatchCalls(Vertx vertx, LiveConfig live, BatchStore store, BatchUpstream upstream, ResultBilling billing,
               Supplier<BudgetEngine> budgets, InputTokens inputs, BatchGuard guard) {
        this.vertx = vertx;
        this.live = live;
        this.store = store;
        this.upstream = upstream;
        this.billing = billing;
        this.budgets = budgets;
        this.holds = new BatchHolds(budgets);
        this.inputs = inputs;
        this.guard = guard;
    }

    /**
     * {@code POST /v1/messages/batches}: checked, budget-admitted and held, written down as pending, created upstream,
     * named; then the upstream's answer. The row is written before the upstream is asked, so a batch the upstream
     * creates is never lost to a crash or a cut connection before its answer is kept ({@link BatchReconciler}).
     */
    Future<Answer> create(Identity who, MultiMap headers, Buffer body, String auditId) {
        Snapshot snapshot = live.current();
        String holdId = BatchHolds.holdId(auditId);
        return vertx.executeBlocking(() -> BatchRequests.plan(body, snapshot, who, guard, models,
                new BatchAsks(inputs), auditId), false)
                .compose(plan -> {
                    String key = BatchUpstream.chooseKey(snapshot, plan.upstream(), plan.keys(), who.keyId());
                    // The row first, naming the holds it is about to take: a kill between the two then leaves a pending
                    // row, which the reconciler drops and whose holds it gives back, not holds that no row names, which
                    // held the caller's budget for their whole 25 hours.
                    return admitted(who, plan, auditId).compose(v -> {
                        List<BudgetRequest> parts = plan.asks().parts(holdId, who);
                        BatchRow pending = new BatchRow(BatchRow.PENDING + auditId, plan.upstream(), key, who,
                                System.currentTimeMillis(), 0, holdId, parts.size(), plan.count());
                        return vertx.executeBlocking(() -> {
                            store.insert(pending, BatchHolds.asks(parts)); // what a restart takes again (BatchHolds.retake)
                            return pending;
                        }, false).compose(row -> holds.take(plan, who, holdId).transform(held -> held.succeeded()
                                ? forwarded(snapshot, plan, row, headers)
                                : dropped(row).transform(x -> Future.failedFuture(held.cause()))));
                    });
                });
    }

    /**
     * Sends the create upstream. A refusal drops the pending row and gives back its holds (nothing was created); no answer
     * at all leaves both to the reconciler, since the upstream may have created the batch before the connection broke.
     */
    private Future<Answer> forwarded(Snapshot snapshot, BatchRequests.Plan plan, BatchRow pending, MultiMap headers) {
        return answer(upstream.send(snapshot, plan.upstream(), pending.keyAlias(), HttpMethod.POST, BatchesEndpoint.PATH, headers,
                plan.body())).compose(a -> a.ok() ? named(a, pending, headers) : dropped(pending).map(a));
    }

    /** A create that made no batch: its row goes, and what it held is given back. */
    Future<Void> dropped(BatchRow pending) {
        return vertx.executeBlocking(() -> {
            store.forget(pending.id());
            return null;
        }, false).compose(v -> holds.giveBack(pending));
    }

    /**
     * The batch's worst case must fit the caller's budgets ({@link BatchAsks}: its parts reserved one after another and
     * held together, then released, since the spend arrives result by result once the batch has ended). A budget that
     * degrades cannot change a batch's model: only its block threshold applies.
     */
    private Future<Void> admitted(Identity who, BatchRequests.Plan plan, String auditId) {
        BudgetEngine engine = budgets.get();
        List<Reservation> held = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (BudgetRequest part : plan.asks().parts(auditId, who)) {
            chain = chain.compose(v -> engine.reserve(part, m -> false).compose(a -> {
                if (a.reservation() != null) {
                    held.add(a.reservation());
                }
                if (a.admitted()) {
                    return Future.<Void>succeededFuture();
                }
                ApiError block = a.block().toApiError();
                // Refused because of what is held: its own parts, or this caller's batches still running (BatchHolds),
                // which end in hours, not in the seconds a retry-after promises.
                return Future.failedFuture(!"rate_limit_error".equals(block.type()) ? block
                        : new ApiError(429, "billing_error", "this batch's worst case (its requests' input and max_tokens, at"
                                + " the standard rate) does not fit what is left of the budget, counting batches still running: "
                                + block.getMessage() + "; wait for those to end, split it into smaller batches, lower max_tokens,"
                                + " or raise the budget", false, withoutRetryAfter(block.headers())));
            }));
        }
        return chain.transform(ar -> {
            Future<Void> released = Future.succeededFuture();
            for (Reservation r : held) {
                released = released.compose(v -> engine.release(r));
            }
            return released.transform(x -> ar.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause()));
        });
    }

    private static java.util.Map<String, String> withoutRetryAfter(java.util.Map<String, String> headers) {
        java.util.Map<String, String> kept = new java.util.HashMap<>(headers);
        kept.keySet().removeIf(h -> h.equalsIgnoreCase("retry-after"));
        return kept;
    }

    /** The upstream created the batch: its pending row takes the batch's id. */
    private Future<Answer> named(Answer created, BatchRow pending, MultiMap headers) {
        String upstreamName = pending.upstream();
        String id;
        try {
            id = Json.MAPPER.readTree(created.body().getBytes()).path("id").asText("");
        } catch (java.io.IOException e) {
            id = "";
        }
        if (!id.startsWith("msgbatch_") || id.length() > 128) {
            // The row stays pending: if a batch was made after all, the reconciler finds it in the upstream's list.
            return Future.failedFuture(ApiError.badGateway("upstream '" + upstreamName + "' answered the batch's creation without"
                    + " a batch id the gateway can keep"));
        }
        String batchId = id;
        return vertx.executeBlocking(() -> {
            if (!store.named(pending.id(), batchId)) {
                throw new java.sql.SQLException("the create's pending row is gone");
            }
            return created;
        }, false).recover(e -> {
            // Not named, the client cannot reach it through the gateway: cancel it. The pending row (if the database
            // kept it) lets the reconciler find the canceled batch and bill what it ran before the cancel.
            LOG.error("batch {}: created on '{}' but not recorded ({}); canceling it", batchId, upstreamName, e.toString());
            upstream.send(live.current(), upstreamName, pending.keyAlias(), HttpMethod.POST, BatchesEndpoint.PATH + "/" + batchId
                    + "/cancel", headers, null).onSuccess(r -> r.body());
            return Future.failedFuture(ApiError.internal("the batch could not be recorded by the gateway and was canceled"));
        });
    }

    /** The live configuration, whose snapshot says where batches can still be reached. */
    LiveConfig live() {
        return live;
    }

    /** The caller's batch, or the same 404 whether it does not exist or is someone else's. */
    Future<BatchRow> own(Identity who, String id) {
        return vertx.executeBlocking(() -> store.find(id), false).compose(row -> row != null && row.ownedBy(who)
                ? Future.succeededFuture(row)
                : Future.failedFuture(ApiError.notFound("No Message Batch '" + dev.sluice.respond.Replies.bounded(id)
                        + "' for this key")));
    }

    /** Retrieve or cancel: forwarded to where the batch lives. */
    Future<Answer> forward(BatchRow row, HttpMethod method, String path, MultiMap headers) {
        return answer(upstream.send(live.current(), row.upstream(), row.keyAlias(), method, path, headers, null));
    }

    /** The upstream has no results to read (a batch still running): nothing to bill yet, and no cause to stop a call. */
    static final class NoResults extends RuntimeException {
        NoResults(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Delete: results not yet billed are read (and billed) first, since after the delete nobody can read them. When the
     * upstream has none (it refuses to delete a running batch anyway) the delete goes on; when reading them broke, the
     * delete is refused, retryably, rather than let spend go unbilled.
     */
    Future<Answer> delete(BatchRow row, MultiMap headers) {
        Future<Void> settled = row.billed() ? Future.succeededFuture() : bill(row, headers).recover(e -> e instanceof NoResults
                ? Future.succeededFuture()
                // an upstream a reload removed: its own final answer, which no retry changes
                : e instanceof ApiError a && Boolean.FALSE.equals(a.shouldRetry()) ? Future.failedFuture(e)
                : Future.failedFuture(new ApiError(502, "api_error", "the batch's results could not be read for billing before"
                        + " the delete (" + e.getMessage() + "); nothing was deleted: retry", true, null)));
        return settled.compose(v -> forward(row, HttpMethod.DELETE, BatchesEndpoint.PATH + "/" + row.id(), headers))
                .compose(a -> !a.ok() ? Future.succeededFuture(a)
                        : vertx.executeBlocking(() -> {
                            store.deleted(row.id());
                            return a;
                        }, false));
    }

    /**
     * Results: the upstream's JSON lines streamed to {@code client}, each succeeded one billed unless the batch already
     * is. Completes with null once streamed, or with the upstream's answer when it refused (a batch not ended yet).
     */
    Future<Answer> results(BatchRow row, MultiMap headers, HttpServerResponse client, String requestId) {
        return counted(row).compose(counted -> upstream.send(live.current(), row.upstream(), row.keyAlias(), HttpMethod.GET,
                BatchesEndpoint.PATH + "/" + row.id() + "/results", headers, null).compose(resp -> {
                    if (resp.statusCode() != 200) {
                        return answer(Future.succeededFuture(resp));
                    }
                    client.setStatusCode(200).setChunked(true);
                    client.putHeader("content-type", contentType(resp, "application/binary"));
                    client.putHeader("request-id", requestId);
                    ResultBilling.Tally tally = new ResultBilling.Tally(counted);
                    return ResultsRelay.relay(resp, client, lines(row, tally)).compose(v -> billed(row, tally)).map((Answer) null);
                }));
    }

    /** Reads a batch's results with no client and bills them (the sweeper; a delete). */
    Future<Void> bill(BatchRow row, MultiMap headers) {
        return counted(row).compose(counted -> upstream.send(live.current(), row.upstream(), row.keyAlias(), HttpMethod.GET,
                BatchesEndpoint.PATH + "/" + row.id() + "/results", headers, null).compose(resp -> {
                    int status = resp.statusCode();
                    if (status != 200) {
                        String why = "results of " + row.id() + ": upstream status " + status;
                        // A refusal (not ended, not there) means no results; an overload or an outage means try again.
                        boolean none = status >= 400 && status < 500 && status != 408 && status != 429;
                        return resp.body().compose(b -> Future.failedFuture(none ? new NoResults(why) : new IllegalStateException(why)));
                    }
                    ResultBilling.Tally tally = new ResultBilling.Tally(counted);
                    return ResultsRelay.relay(resp, null, lines(row, tally)).compose(v -> billed(row, tally));
                }));
    }

    /**
     * The batch's result records the budget counters already hold because they were rebuilt from the ledger (in memory,
     * at this start): a reading cut short by a kill billed them, its ledger records survived and the rebuild counted
     * them, and its charges' idempotency markers died with it. Reading the results again must not charge those twice.
     * Empty for a batch already billed (nothing is charged) and for counters that outlived the last run (Redis: the
     * markers did too).
     */
    private Future<java.util.Set<String>> counted(BatchRow row) {
        long before = countedBefore.getAsLong();
        if (row.billed() || before <= 0) {
            return Future.succeededFuture(java.util.Set.of());
        }
        return vertx.executeBlocking(() -> store.recordedBefore(row, before), false);
    }

    private ResultsRelay.Lines lines(BatchRow row, ResultBilling.Tally tally) {
        // Already billed: stream through unparsed (the ledger would ignore the records anyway).
        return row.billed() ? (b, off, len) -> { } : (b, off, len) -> billing.line(row, b, off, len, tally);
    }

    private Future<Void> billed(BatchRow row, ResultBilling.Tally tally) {
        if (row.billed()) {
            return Future.succeededFuture();
        }
        audit.line(null, "billed", row.owner(), row.id(), 200, -1, tally.records(), tally.nanoUsd());
        return vertx.executeBlocking(() -> {
            store.billed(row.id(), System.currentTimeMillis());
            return null;
        }, false).compose(v -> holds.giveBack(row));
    }

    static Future<Answer> answer(Future<HttpClientResponse> sent) {
        return sent.compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), contentType(resp, "application/json"), b)));
    }

    private static String contentType(HttpClientResponse resp, String otherwise) {
        String t = resp.getHeader("content-type");
        return t == null ? otherwise : t;
    }
}
