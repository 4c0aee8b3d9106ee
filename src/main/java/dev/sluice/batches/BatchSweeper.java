package dev.sluice.batches;

import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles creates whose answer was lost ({@link BatchReconciler}), then bills batches whose results nobody read: a
 * client may never fetch them, and the ledger and budgets must see the spend
 * all the same. Every interval it takes at most {@value #PER_SWEEP} batches not yet billed and not asked about within
 * the interval (the longest unasked first), asks each one's upstream where it stands, and reads the results of those
 * that ended (billing them exactly as a client's read does). One batch at a time, one sweep at a time, off the request
 * path; replicas may sweep the same batch, and the ledger's idempotent records make that harmless.
 */
final class BatchSweeper implements AutoCloseable {
    static final int PER_SWEEP = 8;
    private static final Logger LOG = LoggerFactory.getLogger(BatchSweeper.class);

    private final Vertx vertx;
    private final BatchCalls calls;
    private final BatchReconciler reconciler;
    private final long intervalMillis;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final long timer;

    BatchSweeper(Vertx vertx, BatchCalls calls, BatchReconciler reconciler, long intervalMillis) {
        this.vertx = vertx;
        this.calls = calls;
        this.reconciler = reconciler;
        this.intervalMillis = intervalMillis;
        this.timer = vertx.setPeriodic(intervalMillis, intervalMillis, id -> sweep());
    }

    /** One sweep; a sweep still running when the next is due is not doubled. */
    void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        long now = System.currentTimeMillis();
        vertx.executeBlocking(() -> calls.store.pending(now - reconciler.ageMillis, PER_SWEEP), false)
                .compose(rows -> pending(rows, 0))
                .compose(v -> vertx.executeBlocking(() -> calls.store.unbilled(now - intervalMillis, PER_SWEEP), false))
                .compose(rows -> each(rows, 0))
                .onComplete(ar -> {
                    sweeping.set(false);
                    if (ar.failed()) {
                        LOG.warn("batch sweep failed: {} (tried again in {} s)", ar.cause().toString(), intervalMillis / 1000);
                    }
                });
    }

    /** Creates whose answer was lost, one after another; one that cannot be settled now is tried at the next sweep. */
    private Future<Void> pending(List<BatchRow> rows, int i) {
        if (i == rows.size()) {
            return Future.succeededFuture();
        }
        BatchRow row = rows.get(i);
        return reconciler.settle(row).recover(e -> {
            LOG.warn("batch create {}: not settled yet ({}); tried again in {} s", row.id(), e.toString(), intervalMillis / 1000);
            return Future.succeededFuture();
        }).compose(v -> pending(rows, i + 1));
    }

    private Future<Void> each(List<BatchRow> rows, int i) {
        if (i == rows.size()) {
            return Future.succeededFuture();
        }
        BatchRow row = rows.get(i);
        return check(row).recover(e -> {
            LOG.warn("batch {}: not billed yet ({}); asked again in {} s", row.id(), e.toString(), intervalMillis / 1000);
            return Future.succeededFuture();
        }).compose(v -> each(rows, i + 1));
    }

    private Future<Void> check(BatchRow row) {
        return vertx.executeBlocking(() -> {
            calls.store.checked(row.id(), System.currentTimeMillis());
            return null;
        }, false).compose(v -> calls.forward(row, HttpMethod.GET, BatchesEndpoint.PATH + "/" + row.id(), null)).compose(a -> {
            if (a.status() == 404) {
                // Deleted behind the gateway's back (the upstream console): its results can no longer be read or billed.
                LOG.error("batch {}: gone from upstream '{}' before its results were billed; check that account's bill",
                        row.id(), row.upstream());
                return vertx.executeBlocking(() -> {
                    calls.store.billed(row.id(), System.currentTimeMillis());
                    return null;
                }, false).compose(v -> calls.holds.giveBack(row));
            }
            if (!a.ok()) {
                return Future.failedFuture("upstream status " + a.status());
            }
            String status;
            try {
                status = Json.MAPPER.readTree(a.body().getBytes()).path("processing_status").asText("");
            } catch (java.io.IOException e) {
                return Future.failedFuture("the batch's state is not JSON");
            }
            return status.equals("ended") ? calls.bill(row, null) : Future.succeededFuture();
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
