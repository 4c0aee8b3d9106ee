/**
 * Budgets as the gateway runs them: the budget stage (after routing, before anything is forwarded), the monthly
 * caps of users and keys as engine budgets, budgets set through the admin API (kept in the database, merged by name
 * over the configuration's), the compiled {@code budgets:} section as a live-configuration part, the standings that
 * sign-in renders and routing reads, and {@code GET /api/oauth/usage}. The engine itself (rules, counters, limits,
 * alerts, forecasts, dry runs) is in the subpackages.
 *
 * <pre>
 *                       ┌────────────── BudgetStage.onRequest ──────────────┐
 *  route ─► (plan) ─►   │ 1 rate limits (caller, predicted upstream key)    │ ─► record ─► settle ─► attempts
 *                       │ 2 InputTokens: estimate + bound from the body     │
 *                       │ 3 engine.reserve: every budget, one atomic step   │   429 billing_error / rate_limit_error
 *                       │   → degrade: DegradedPlan swaps the served model  │   (Claude Code's headers) before
 *                       │ 4 fair queue slot on that upstream key            │   anything is forwarded
 *                       └───────────────────────────────────────────────────┘
 *  onAttemptEnd: add the attempt's usage and cost; the committed attempt settles the exchange (once)
 *  onResponse:   anthropic-ratelimit-unified-*, x-sluice-budget[-warning], x-sluice-degraded-from
 *  onComplete:   settle if not yet (no attempt committed), release the slot, correct rate-limit tokens
 * </pre>
 *
 * One reservation per exchange, settled once with the sum of its attempts: {@link dev.sluice.budget.BudgetTicket}
 * says why. {@link dev.sluice.budget.Budgeting} assembles it all; docs/bench/budget.md has the reservation rule, its
 * bound, what each kind of user sees, and the numbers.
 */
package dev.sluice.budget;
