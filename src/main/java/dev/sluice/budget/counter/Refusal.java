package dev.sluice.budget.counter;

/** Why a line refused a reservation. */
public enum Refusal {
    /** Settled spend has reached the line: refused until the period resets. */
    EXHAUSTED,
    /** Settled spend is under the line but what is in flight could reach it: retry shortly. */
    IN_FLIGHT
}
