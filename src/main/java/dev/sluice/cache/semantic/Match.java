package dev.sluice.cache.semantic;

/**
 * A semantic match: the stored entry (the exact cache's key of its answer), the similarity of the
 * new question to the stored one, the threshold it had to reach, and the entry's age. In shadow
 * mode {@code serve} is false: the caller must forward the request upstream as usual, compare the
 * stored answer with the real one later and report it with {@link SemanticMatcher#observe}.
 */
public record Match(String entryId, double similarity, double threshold, long ageMillis, boolean serve) {
}
