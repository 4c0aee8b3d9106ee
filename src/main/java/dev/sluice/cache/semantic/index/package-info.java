/**
 * Vector indexes per (tenant scope, anchor, model): brute force with the Vector API while small,
 * Lucene's HNSW graph above a few thousand entries ({@link dev.sluice.cache.semantic.index.ScopeIndex}),
 * all under one heap budget that drops the least recently searched indexes first
 * ({@link dev.sluice.cache.semantic.index.IndexRegistry}).
 */
package dev.sluice.cache.semantic.index;
