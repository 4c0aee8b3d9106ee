/**
 * Reading the ledger for budgets, off the request path: spend per entity and time bucket to rebuild counters
 * ({@link dev.sluice.budget.history.LedgerSpend}), daily history for forecasts, and the records of the last N days
 * for a dry run ({@link dev.sluice.budget.history.LedgerScan}). Queries use the ledger's time and dimension indexes
 * and read one period (or one window) at a time, never the whole table.
 */
package dev.sluice.budget.history;
