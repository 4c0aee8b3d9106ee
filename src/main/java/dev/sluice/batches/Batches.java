package dev.sluice.batches;

import dev.sluice.authenticate.Callers;
import dev.sluice.budget.InputTokens;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.config.LiveConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.guard.stage.BatchGuard;
import dev.sluice.guard.stage.GuardStage;
import dev.sluice.record.Ledger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anthropic Message Batches through the gateway, as one long-lived part: the calls at {@code /v1/messages/batches}, the
 * store of which upstream, key and caller each batch belongs to, the billing of results, and the sweeper that bills
 * batches nobody reads. Opened with the other components and closed before the ledger.
 */
public final class Batches implements AutoCloseable {
    /** How often the sweeper looks for ended batches not yet billed (milliseconds; a system property, for tests and tuning). */
    public static final String SWEEP_PROPERTY = "sluice.batches.sweep-interval-ms";
    static final long DEFAULT_SWEEP_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(Batches.class);

    private final BatchCalls calls;
    private final BatchesEndpoint endpoint;
    private final BatchSweeper sweeper;

    private Batches(BatchCalls calls, BatchesEndpoint endpoint, BatchSweeper sweeper) {
        this.calls = calls;
        this.endpoint = endpoint;
        this.sweeper = sweeper;
    }

    public static Batches start(Vertx vertx, LiveConfig live, Callers callers, DataSource db, Ledger ledger,
                                Supplier<BudgetEngine> budgets, InputTokens inputs, GuardStage guard) {
        ResultBilling billing = new ResultBilling(ledger, live::current, budgets);
        BatchCalls calls = new BatchCalls(vertx, live, new BatchStore(db), new BatchUpstream(vertx), billing, budgets,
                inputs, new BatchGuard(guard));
        long interval = Math.max(100, Long.getLong(SWEEP_PROPERTY, DEFAULT_SWEEP_MILLIS));
        long pendingAge = Math.max(0, Long.getLong(BatchReconciler.AGE_PROPERTY, BatchReconciler.DEFAULT_AGE_MILLIS));
        BatchReconciler reconciler = new BatchReconciler(vertx, live, calls, pendingAge);
        BatchesEndpoint endpoint = new BatchesEndpoint(live, callers, calls, BatchCallRate.fromProperty());
        return new Batches(calls, endpoint, new BatchSweeper(vertx, calls, reconciler, interval));
    }

    /** The front's route for {@code /v1/messages/batches} and everything under it. */
    public ExtraRoute route() {
        return endpoint.route();
    }

    /** The model policy beyond routing every request of a batch is held to (sign-in's, when it is on). */
    public void models(ModelGate gate) {
        calls.models = gate == null ? ModelGate.OPEN : gate;
    }

    /**
     * When the budget counters last counted the ledger in ({@code Budgeting.ledgerCountedBefore}, epoch ms; 0 when they
     * outlived the last run): result records from before it are not charged again when results are read again.
     */
    public void countedBefore(java.util.function.LongSupplier when) {
        calls.countedBefore = when;
    }

    /**
     * Takes again the budget holds of batches not yet billed (blocking, at a start; at most {@code wait} in all): counters
     * rebuilt from the ledger at this start (in memory) hold no trace of them, and without them a batch still running
     * stopped counting against its caller's budgets until it was billed. Call it before the sweeper's first round (a
     * minute after the start), which may bill a batch and give its holds back. Batches holding again.
     */
    public int retakeHolds(java.time.Duration wait) {
        List<BatchStore.Held> held;
        try {
            held = calls.store.held();
        } catch (java.sql.SQLException e) {
            LOG.error("batch holds: not taken again at this start ({}); running batches count against their budgets once "
                    + "billed", e.toString());
            return 0;
        }
        if (held.isEmpty()) {
            return 0;
        }
        long now = System.currentTimeMillis();
        List<Future<Boolean>> taken = new ArrayList<>();
        for (BatchStore.Held h : held) {
            try {
                taken.add(calls.holds.retake(h, now));
            } catch (IllegalArgumentException e) { // a row whose asks cannot be read: the others still hold
                LOG.error("batch holds of {}: not taken again: {}", h.row().id(), e.getMessage());
            }
        }
        try {
            Future.join(taken).await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.error("batch holds: taking them again did not complete ({})", e.toString());
        }
        int n = (int) taken.stream().filter(f -> f.succeeded() && f.result()).count();
        LOG.info("batch holds: {} of {} batches not yet billed hold their budgets again", n, held.size());
        return n;
    }

    /** Where the calls and billings leave audit lines from now on (telemetry is built after this part). */
    public void audit(BatchAudit audit) {
        calls.audit = audit;
    }

    /** Succeeded batch results this process has billed (for /metrics). */
    public long billedResults() {
        return calls.billing.billed();
    }

    @Override
    public void close() {
        sweeper.close();
        calls.upstream.close();
    }
}
