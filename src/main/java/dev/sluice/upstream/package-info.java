/**
 * Where an attempt goes: the attempt loop ({@link dev.sluice.upstream.AttemptLoop}) that sends each
 * attempt through its provider's {@link dev.sluice.upstream.UpstreamProtocol}, decides on the
 * response head whether to retry or commit, and hands a committed answer to the responder; the
 * connection pools per event loop that survive configuration reloads; the upstream definitions of
 * the live configuration.
 */
package dev.sluice.upstream;
