package dev.sluice.budget;

import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.limit.FairQueue;
import dev.sluice.budget.limit.RateDecision;
import dev.sluice.pipeline.Exchange;
import dev.sluice.wire.Usage;

/**
 * What the budget stage holds for one exchange: its admission (one reservation for the whole exchange, taken before
 * the first attempt), the rate-limit charge, the fair-queue slot, and what the attempts so far used and cost.
 *
 * <p>Why one reservation per exchange rather than per attempt: the attempt loop retries only attempts that failed
 * before anything reached the client (a connection error, a 429 or 529, an error as the first event), which bill
 * nothing or next to nothing, and attempt hooks cannot wait for a counter store. So the reservation taken before the
 * first attempt covers its retries, and the exchange is settled once, with the sum of every attempt's usage and cost
 * (exactly what the ledger's records of those attempts add up to): when the committed attempt ends, or when the
 * exchange completes without one. Confined to the exchange's event loop.
 */
final class BudgetTicket {
    static final Exchange.Key<BudgetTicket> KEY = new Exchange.Key<>("budget-ticket", BudgetTicket.class);

    final BudgetEngine engine;
    final int bodyBytes;
    Admission admission;
    RateDecision rate;
    FairQueue.Permit permit;
    private Usage usage = Usage.ZERO;
    private long costNanoUsd;
    private boolean settled;

    BudgetTicket(BudgetEngine engine, int bodyBytes) {
        this.engine = engine;
        this.bodyBytes = bodyBytes;
    }

    /** Adds an ended attempt's usage and cost. */
    void add(Usage u, long nanoUsd) {
        usage = usage.plus(u);
        costNanoUsd += nanoUsd;
    }

    Usage usage() {
        return usage;
    }

    long costNanoUsd() {
        return costNanoUsd;
    }

    /** True the first time only: the exchange is settled exactly once. */
    boolean settleNow() {
        if (settled || admission == null || admission.reservation() == null) {
            return false;
        }
        settled = true;
        return true;
    }
}
