/**
 * Serving a stored answer: {@link dev.sluice.cache.replay.Replay} gives the SSE events or the JSON
 * body, from either stored form, with the requester's values substituted and the usage rewritten.
 */
package dev.sluice.cache.replay;
