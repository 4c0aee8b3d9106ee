package dev.sluice.budget.engine;

import java.util.List;

/**
 * What an admitted attempt holds; hand it back to {@link BudgetEngine#settle} when the attempt is over (whatever
 * happened: completed, failed upstream, client gone). Settling it twice is harmless.
 *
 * @param request the request as reserved
 * @param model   the model reserved for (after any degrade): the one to forward
 * @param tenant  the counters' tenant
 * @param charged the lines charged
 */
public record Reservation(BudgetRequest request, String model, String tenant, List<Charge> charged) {
    public Reservation {
        charged = List.copyOf(charged);
    }

    /** True when no budget applies (or nothing was held): settling it only teaches the output estimate. */
    public boolean empty() {
        return charged.isEmpty();
    }
}
