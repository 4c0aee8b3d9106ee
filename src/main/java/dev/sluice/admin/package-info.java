/**
 * The admin API under {@code /admin}: JSON endpoints to manage orgs, teams, users and keys, and spend reports
 * as JSON or CSV. Mounted on the front as an {@link dev.sluice.front.ExtraRoute} by {@link dev.sluice.admin.AdminApi}.
 * A body is JSON of at most 64 KiB: one declared as another type is a 415, a longer one a 413, in the error envelope.
 *
 * <p>It has its own credentials ({@code admin.keys} in the configuration, each {@code read} or {@code write}),
 * never a gateway key; with none configured every path answers 404, as if the API did not exist. Wrong credentials
 * are counted per client address with the dashboard's ({@link dev.sluice.authenticate.CredentialGuesses}): past the
 * allowance an address gets 429 without its credential being compared. Errors use the
 * Anthropic envelope. Database work runs on worker threads, never on the event loop.
 *
 * <pre>
 * GET    /admin/orgs                      POST /admin/orgs {id, name?}
 * GET    /admin/orgs/{id}                 PATCH /admin/orgs/{id} {name?, disabled?}      DELETE /admin/orgs/{id}
 * GET    /admin/teams?org=                POST /admin/teams {id, org_id, name?}
 * GET    /admin/teams/{id}                PATCH /admin/teams/{id} {name?, disabled?}     DELETE /admin/teams/{id}
 * GET    /admin/users?team=               POST /admin/users {id, team_id, name?, email?, tags?, monthly_cap_usd?}
 * GET    /admin/users/{id}                PATCH /admin/users/{id} {name?, email?, team_id?, tags?, monthly_cap_usd?, disabled?}
 *                                         DELETE /admin/users/{id}
 * GET    /admin/keys?user=                POST /admin/keys {user_id, alias?, tags?, monthly_cap_usd?, expires?}
 *                                              → 201 with the key itself, shown this once
 * GET    /admin/keys/{id}                 PATCH /admin/keys/{id} {alias?, tags?, monthly_cap_usd?, expires_at? | expires?}
 * POST   /admin/keys/{id}/revoke          DELETE /admin/keys/{id} (the same: keys are revoked, never deleted)
 * POST   /admin/keys/{id}/rotate {grace?} → 200 with the new key; the old one works for grace (default 24h)
 * GET    /admin/spend?by=team,model&amp;since=7d&amp;until=...&amp;where=team=x   (where repeatable)
 * GET    /admin/spend.csv?...             the same as chargeback CSV
 * GET    /admin/budgets                   every budget in force: source (config or admin), who set it, warnings
 * GET    /admin/budgets/status?user=|key=|team=|org=[&amp;tag=name=value]   standings with period-end forecasts
 * GET    /admin/budgets/{name}            PUT /admin/budgets/{name} {level, id, usd?, tokens?, period?, thresholds?, ...}
 *                                         DELETE /admin/budgets/{name}   (admin-set only; audited with who)
 * </pre>
 */
package dev.sluice.admin;
