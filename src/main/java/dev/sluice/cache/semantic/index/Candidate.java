package dev.sluice.cache.semantic.index;

/** A stored entry the index found near a query, with its retrieval similarity. */
public record Candidate(StoredEntry entry, float score) {
}
