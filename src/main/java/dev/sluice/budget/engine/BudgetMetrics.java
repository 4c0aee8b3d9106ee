package dev.sluice.budget.engine;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of budget decisions; {@link #bindTo} exposes them as {@code sluice_budget_*_total} on /metrics. */
public final class BudgetMetrics {
    final AtomicLong admitted = new AtomicLong();
    final AtomicLong exhausted = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong degraded = new AtomicLong();
    final AtomicLong settled = new AtomicLong();
    final AtomicLong duplicateSettles = new AtomicLong();
    final AtomicLong settleErrors = new AtomicLong();
    final AtomicLong overBound = new AtomicLong();
    final AtomicLong crossings = new AtomicLong();

    public void bindTo(MeterRegistry registry) {
        counter(registry, "sluice_budget_admitted", "attempts admitted by the budgets", admitted);
        counter(registry, "sluice_budget_blocked", "attempts refused: a budget was spent (billing_error)", exhausted);
        counter(registry, "sluice_budget_in_flight_refusals", "attempts refused while in-flight worst cases could cross a line", inFlight);
        counter(registry, "sluice_budget_unavailable", "attempts refused because the counters were unreachable (fail-closed)", unavailable);
        counter(registry, "sluice_budget_degraded", "attempts served by a cheaper model", degraded);
        counter(registry, "sluice_budget_settles", "attempts settled", settled);
        counter(registry, "sluice_budget_duplicate_settles", "settles ignored as already settled", duplicateSettles);
        counter(registry, "sluice_budget_settle_errors", "settles that could not reach the counters", settleErrors);
        counter(registry, "sluice_budget_over_bound", "attempts that cost more than their reserved worst case", overBound);
        counter(registry, "sluice_budget_threshold_crossings", "threshold crossings reported (once across replicas)", crossings);
    }

    public long admitted() {
        return admitted.get();
    }

    public long blocked() {
        return exhausted.get();
    }

    public long inFlightRefusals() {
        return inFlight.get();
    }

    public long duplicateSettles() {
        return duplicateSettles.get();
    }

    public long degraded() {
        return degraded.get();
    }

    public long unavailable() {
        return unavailable.get();
    }

    public long settleErrors() {
        return settleErrors.get();
    }

    public long crossings() {
        return crossings.get();
    }

    public long overBound() {
        return overBound.get();
    }

    private static void counter(MeterRegistry r, String name, String help, AtomicLong v) {
        FunctionCounter.builder(name, v, AtomicLong::doubleValue).description(help).register(r);
    }
}
