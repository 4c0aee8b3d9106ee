/**
 * Budget: monthly spend caps per key and per user, checked before a request is forwarded and
 * reported to Claude Code in its own vocabulary ({@code anthropic-ratelimit-unified-*} headers,
 * {@code GET /api/oauth/usage}) so the CLI shows "You've used NN%" and stops cleanly at the line.
 * Spend is counted in memory, seeded from the ledger at start; this holds for one replica (shared
 * counters across replicas come with the budgets issue).
 */
package dev.sluice.budget;
