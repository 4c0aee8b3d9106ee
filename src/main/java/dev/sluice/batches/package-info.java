/**
 * Anthropic Message Batches through the gateway ({@code /v1/messages/batches}), beside the request pipeline rather than
 * in it: a batch is one upstream call that carries up to 100,000 requests and answers hours later, so no stage's
 * per-attempt hooks fit it. Each request is held to what the pipeline would hold it to, with the pipeline's own parts:
 * the caller from {@code authenticate.Callers}, the body checks of {@code front.anthropic.BodyInspector}, the model routed
 * by {@code route.Router.place} (aliases, allow-list, rewrites), the guard's policy through {@code guard.stage.BatchGuard},
 * the budgets' admission, and prices from {@code settle.Meter.batchCost}.
 *
 * <pre>
 *  client ─► BatchesEndpoint ─► BatchCalls.create ─► BatchRequests (check, route, guard each request) ─► budget admission
 *                                                  ─► BatchUpstream (POST to the upstream, its key) ─► BatchStore (id → upstream,
 *                                                     key, caller) ─► the upstream's batch object, results_url on the gateway
 *  client ─► retrieve / list / cancel / delete ─► BatchStore (the caller's own, else 404) ─► the upstream and key it lives on
 *  client ─► results ─► ResultsRelay (JSON lines streamed through) ─► ResultBilling (one ledger record and budget charge per
 *                                                                     succeeded result, at half price, idempotent)
 *  BatchSweeper (every interval, a few at a time) ─► ended but unbilled batches ─► the same results read and billing
 * </pre>
 */
package dev.sluice.batches;
