/**
 * The operator dashboard: a read-only page served by the gateway itself at {@code /admin/dashboard/}, wherever the
 * admin API is served (the main listener, or {@code admin.listen}), and off with it when no admin key is configured.
 *
 * <p>What it shows, for today, the last 7 or 30 UTC days, or this month: spend in dollars and tokens over time and
 * broken down by team, user, key, model, provider or a tag; every budget's spend against its limit with its
 * thresholds, period-end forecast and the action at the line; the response cache's hit rate and dollars saved and
 * the provider's prompt-cache reads; latency percentiles and errors; the newest requests, each with its attempts.
 * Every number comes from the code the admin API and {@code sluice report} use ({@code record.SpendReports},
 * {@code budget.BudgetAdmin}, {@code cache.report.CacheAdmin}); only the recent-requests list, a request's attempts
 * and the latency sample read the ledger directly ({@link dev.sluice.admin.dashboard.RecentRequests},
 * {@link dev.sluice.admin.dashboard.RequestAttempts}, {@link dev.sluice.admin.dashboard.LatencyData}), as nothing
 * else lists records.
 *
 * <p>How it is built, in the order a request meets it: {@link dev.sluice.admin.dashboard.Dashboard} routes and sets
 * the security headers ({@link dev.sluice.admin.dashboard.DashboardHttp}: a CSP without inline script or style, no
 * framing, nosniff); {@link dev.sluice.admin.dashboard.SignIn} exchanges an admin key for a session
 * ({@link dev.sluice.admin.dashboard.DashboardSessions}: random token, kept as its digest, 8 hours, at most 50 per credential and 1,000 in all);
 * {@link dev.sluice.admin.dashboard.Assets} serves the page's files from the jar by a fixed list of names;
 * {@link dev.sluice.admin.dashboard.DashboardData} answers the JSON data calls after
 * {@link dev.sluice.admin.dashboard.Bounds} checked every parameter, on workers of their own
 * ({@link dev.sluice.admin.dashboard.DataWorkers}: a few at once, a short line, then a 503). The page itself
 * ({@code src/main/resources/dashboard/}) is plain HTML, CSS and one script, no build step and nothing fetched from
 * elsewhere; it puts caller text on the page only as text.
 */
package dev.sluice.admin.dashboard;
