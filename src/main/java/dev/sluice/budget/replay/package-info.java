/**
 * Dry run: replay ledger records against a proposed set of budgets, in time order, through the real engine with
 * in-memory counters and a replay clock, and list who would have been alerted, degraded or blocked, and when.
 * A blocked request is not charged (it would not have been served); a degraded one is re-priced at the cheaper
 * model. Used by {@code sluice budgets dry-run --file proposed.yaml --days 30}.
 */
package dev.sluice.budget.replay;
