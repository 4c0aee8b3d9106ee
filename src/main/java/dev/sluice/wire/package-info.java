/**
 * The Anthropic wire vocabulary every stage shares: the error envelope and its types, SSE events,
 * and the header rules for what crosses the gateway in each direction.
 */
package dev.sluice.wire;
