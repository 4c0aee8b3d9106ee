package dev.sluice.budget.counter;

import java.util.List;

/**
 * The outcome of a reservation.
 *
 * @param admitted  true when every group admitted and the reservation is held
 * @param refusedAt index (in the call's lines) of the line that refused, or -1
 * @param refusal   why, or null
 * @param states    one per line of the call, after the call
 * @param duplicate true when this id was already settled: nothing was reserved, the request may go on
 */
public record ReserveResult(boolean admitted, int refusedAt, Refusal refusal, List<LineState> states, boolean duplicate) {
    public ReserveResult {
        states = List.copyOf(states);
    }
}
