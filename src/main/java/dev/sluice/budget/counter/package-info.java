/**
 * Budget counters with reserve-then-settle: {@link dev.sluice.budget.counter.MemoryCounters} for one replica,
 * {@link dev.sluice.budget.counter.RedisCounters} (atomic Lua scripts over one long-lived connection) for several,
 * {@link dev.sluice.budget.counter.LeasedCounters} (per-replica leases of headroom: far from the line no Redis call on
 * the request's path), {@link dev.sluice.budget.counter.ResilientCounters} for what happens when Redis is unreachable
 * ({@code dev.sluice.budget.engine.CounterRebuild} rebuilds counters from the ledger).
 *
 * <h2>A line and its three numbers</h2>
 * Each budget limit for one entity and period is a <em>line</em> holding {@code s} (settled spend), {@code r}
 * (reserved by requests in flight: their calibrated estimates) and {@code d} (the slack of requests in flight:
 * worst case minus reservation). {@code x = s + r + d} is the worst case if everything in flight used its full
 * {@code max_tokens}. A request brings its estimate {@code e} and worst case {@code w ≥ e}. Against the line's
 * admission {@code cap}:
 * <ol>
 *   <li>{@code s ≥ cap}: refused, {@link dev.sluice.budget.counter.Refusal#EXHAUSTED} (the budget is spent).</li>
 *   <li>{@code x ≥ cap}: refused, {@link dev.sluice.budget.counter.Refusal#IN_FLIGHT}: what is in flight could already
 *       reach the line; retry in a moment, once it has settled.</li>
 *   <li>{@code x + w ≤ cap} (far from the line): reserve {@code e}; {@code r += e}, {@code d += w − e}.</li>
 *   <li>otherwise (in flight could cross): reserve the full bound, {@code r += w}.</li>
 * </ol>
 * Settling with the actual {@code a} does {@code s += a, r −= e_or_w, d −= slack}. Every admission starts from
 * {@code x < cap} and adds {@code w}; a settle changes {@code x} by {@code a − w ≤ 0}. So {@code x < cap + w_max}
 * always, and the final spend, at most {@code x}, overshoots the cap by less than one request's worst case —
 * across any number of replicas, because the check and the update are one atomic step per store.
 *
 * <h2>Idempotency</h2>
 * A reservation and its settle are keyed by (request id, attempt). Settling twice is a no-op (a marker kept for a
 * day); reserving again under the same key replaces the earlier reservation. A reservation never settled (a
 * crashed replica) is released when its time to live passes: every reserve releases up to 16 expired ones.
 *
 * <h2>Settles in batches</h2>
 * {@link dev.sluice.budget.counter.RedisCounters} sends the settles that arrive while a batch of them is out together,
 * in one script call, each applied exactly as alone ({@link dev.sluice.budget.counter.SettleBatcher}). A settle only
 * ever lowers {@code x}, so holding one back leaves the bound above untouched.
 */
package dev.sluice.budget.counter;
