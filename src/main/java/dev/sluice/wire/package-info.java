/**
 * The Anthropic wire vocabulary every stage shares: the error envelope and its types, SSE events,
 * the header rules for what crosses the gateway in each direction, and the bounded reading of
 * {@code anthropic-beta} values ({@link dev.sluice.wire.Betas}). Depends on no other Sluice package;
 * top-level field edits of a request body are in {@code wire.body}.
 */
package dev.sluice.wire;
