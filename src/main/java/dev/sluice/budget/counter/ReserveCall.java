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
 * @param shared     held where every replica can settle it (Redis itself, never a replica's lease): a Message Batch's
 *                   hold, which whichever replica bills the batch gives back, maybe after the one that took it is gone
 */
public record ReserveCall(String tenant, String id, long nowMillis, long ttlMillis, List<LineSpec> lines, boolean shared) {
    public ReserveCall {
        lines = List.copyOf(lines);
    }

    /** A request's reservation: settled by the replica that took it, so a lease may hold it. */
    public ReserveCall(String tenant, String id, long nowMillis, long ttlMillis, List<LineSpec> lines) {
        this(tenant, id, nowMillis, ttlMillis, lines, false);
    }
}
