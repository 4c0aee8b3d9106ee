/**
 * Claude Code's usage-limit vocabulary for signed-in clients, rendered from one small input
 * ({@link dev.sluice.signin.usage.UsageStanding}) that the budgets engine computes: response
 * headers, the 429 at the line (user or group pool, or fail-closed {@code fetch_error}), and the
 * {@code /api/oauth/usage} body.
 */
package dev.sluice.signin.usage;
