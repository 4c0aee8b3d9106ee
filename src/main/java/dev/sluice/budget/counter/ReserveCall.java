package dev.sluice.budget.counter;

import java.util.List;

/**
 * Reserve on every line at once, or on none.
 *
 * @param tenant     the hash tag shared by every key of the call (the org)
 * @param id         the idempotency key, {@code requestId/attempt}
 * @param nowMillis  the caller's clock (one clock for every replica keeps rolling buckets aligned)
 * @param ttlMillis  how long the reservation holds before it is released as abandoned
 * @param lines      the lines, alternatives adjacent and in order
 */
public record ReserveCall(String tenant, String id, long nowMillis, long ttlMillis, List<LineSpec> lines) {
    public ReserveCall {
        lines = List.copyOf(lines);
    }
}
