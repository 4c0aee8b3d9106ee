package dev.sluice.cache.semantic.index;

/** One search result: an ordinal in its index and its cosine similarity to the query. */
public record Neighbor(int ordinal, float score) {
}
