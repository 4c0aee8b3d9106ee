/**
 * The budget engine the budget stage calls, in three steps per attempt:
 *
 * <pre>
 *   after routing, before forwarding:   engine.reserve(new BudgetRequest(requestId, attempt, identity, servedModel,
 *                                                                         inputTokens, maxTokens))
 *        refused  → throw admission.block().toApiError()     (429 billing_error / rate_limit_error, Claude Code's headers)
 *        admitted → forward admission.model() (a degrade may have changed it; re-route if so)
 *   on the response:                    admission.headers() onto the response (standing, x-sluice-degraded-from)
 *   when the attempt is over:           engine.settle(admission.reservation(), usage, costNanoUsd)   (idempotent)
 * </pre>
 *
 * {@link dev.sluice.budget.Budgets} builds everything from the {@code budgets:} section. The admission rule
 * and its bound are in {@code dev.sluice.budget.counter}; the written pool rules in
 * {@link dev.sluice.budget.rules.PoolRule}.
 */
package dev.sluice.budget.engine;
