/**
 * Rate limits and fair queueing. {@link dev.sluice.budget.limit.RateLimiter} checks requests per minute and tokens
 * per minute per key, user, team and upstream key, with a sliding window (the previous minute weighted by how much
 * of it still overlaps) or a token bucket; limits are shared by every replica through Redis (one Lua call checks
 * and charges all of a request's limits atomically) or kept in memory on a single node. A refusal carries the wait
 * until the request would fit ({@code retry-after}). {@link dev.sluice.budget.limit.FairQueue} shares a saturated
 * upstream account between teams by weighted fair queueing, with a bounded queue and a clear 429 when it is full.
 */
package dev.sluice.budget.limit;
