/**
 * What incremental scanning needs from a body: where its messages are ({@link dev.sluice.guard.incremental.MessageSpans}),
 * the digests of its message prefixes computed in one pass ({@link dev.sluice.guard.incremental.PrefixHashes}),
 * and a structural skip over JSON values.
 */
package dev.sluice.guard.incremental;
