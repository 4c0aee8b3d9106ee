/**
 * Route: where each attempt of a request goes, and what happens when one fails.
 *
 * <h2>Deciding</h2>
 * {@link dev.sluice.route.RouteStage} resolves a model alias from the catalog, applies the caller's
 * allow-list (a denied model is a 400 naming it), and takes the first rule of the snapshot's
 * {@link dev.sluice.route.Router} whose model glob and conditions hold (caller, estimated input
 * tokens, tools, thinking, images, headers, time of day, budget standing). Conditions look only at
 * what the one inspection pass found, plus cheap byte scans of single fields, and only when a rule
 * asks. With a catalog, {@code GET /v1/models} is answered here, filtered by the allow-list.
 *
 * <h2>Attempting</h2>
 * The rule's {@link dev.sluice.route.RoutePlan} is the exchange's {@link dev.sluice.pipeline.AttemptPlan}
 * and the attempt loop's {@link dev.sluice.upstream.KeyPolicy}: it orders the targets (priority, then
 * weights, the conversation's own target first), skips targets whose circuit breaker is open or whose
 * keys all wait out a {@code retry-after}, picks each attempt's key (weighted least-outstanding, aware
 * of the upstream's rate-limit headers), and after a failure before the client saw a byte decides the
 * next step: another key, the next target, or the same target again after a jittered backoff, within
 * the rule's attempt and time budget. See {@link dev.sluice.route.Failures} for how failures are read.
 *
 * <h2>Learning</h2>
 * {@link dev.sluice.route.RoutingState} outlives configuration snapshots: upstream health and
 * breakers ({@link dev.sluice.upstream.HealthBoard}), key load and limits
 * ({@link dev.sluice.upstream.KeyStates}), and where conversations were served
 * ({@link dev.sluice.route.StickyTable}), so a conversation stays where its prompt cache is, moves
 * only when that target fails, and comes back when it recovers. Every part of it is bounded.
 */
package dev.sluice.route;
