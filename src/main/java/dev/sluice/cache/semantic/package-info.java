/**
 * Semantic matching behind the exact cache: answers a new question with a stored answer when
 * everything in the request but the newest user text is identical (the anchor, hashed by the
 * exact cache) and that newest text means the same thing.
 *
 * <h2>Why anchored</h2>
 * Gateways that compare only the last message serve stale answers in agent loops: the same words
 * ("fix the failing test") mean something else once the code changed. Here the whole context must
 * match exactly, and only the newest user text is compared by meaning. Turns whose newest content
 * is a tool result are never compared ({@link dev.sluice.cache.semantic.NewestTurn} decides it
 * from the body).
 *
 * <h2>What a hit needs (cheapest check first)</h2>
 * <ol>
 *   <li>an index exists for (scope, anchor): most requests stop here, at a map lookup;</li>
 *   <li>a stored question near the new one by static MiniLM vectors (microseconds, HNSW above a
 *       few thousand entries);</li>
 *   <li>the code-identity guard: identical identifiers, paths, numbers (digits or words) and their units,
 *       versions, quoted strings, flags, negations, sense words and the word after an ordering word
 *       (than, before, after; {@link dev.sluice.cache.semantic.guard.CodeIdentity});</li>
 *   <li>the MiniLM transformer's similarity at or above the entry's threshold, learned online from
 *       verdicts under an error bound ({@link dev.sluice.cache.semantic.learn.ThresholdLearner}); for a
 *       long text, also every changed span against the stored span it replaces, the two texts aligned by
 *       their unchanged windows ({@link dev.sluice.cache.semantic.WindowRule}; the rows a lookup embeds are
 *       planned by {@link dev.sluice.cache.semantic.WindowPlan}).</li>
 * </ol>
 * The labelled set in {@code src/test/resources/semantic/pairs.jsonl} and the benchmarks beside it
 * chose these steps and thresholds; docs/bench/semantic.md has the numbers. Entry point:
 * {@link dev.sluice.cache.semantic.SemanticMatchers} builds a {@link dev.sluice.cache.semantic.SemanticMatcher}.
 */
package dev.sluice.cache.semantic;
