/**
 * Where an attempt goes: the attempt loop ({@link dev.sluice.upstream.AttemptLoop}) that sends each
 * attempt through its provider's {@link dev.sluice.upstream.UpstreamProtocol}, decides on the
 * response head whether to retry or commit, and hands a committed answer to the responder; the
 * connection pools per event loop that survive configuration reloads; the upstream definitions of
 * the live configuration.
 *
 * <p>Also what the gateway learns about upstreams while it runs, shared by every event loop and kept
 * across reloads: each key's requests in flight, rate limits (from the upstream's own
 * {@code anthropic-ratelimit-*} headers) and cool-downs ({@link dev.sluice.upstream.KeyStates}), the
 * choice of key among them ({@link dev.sluice.upstream.KeyBalancer}), and each upstream's health and
 * circuit breaker ({@link dev.sluice.upstream.HealthBoard}), fed by real traffic and optional
 * {@link dev.sluice.upstream.ActiveChecks}. A plan that implements {@link dev.sluice.upstream.KeyPolicy}
 * chooses each attempt's key.
 */
package dev.sluice.upstream;
