/**
 * Request keys. {@link dev.sluice.cache.key.RequestKeyer} reads a body over a flat tape, never
 * building a tree: {@link dev.sluice.cache.key.JsonTape} tokenizes it (SIMD string scanning when the
 * vector module is present, SWAR otherwise), {@link dev.sluice.cache.key.RequestShape} reads the
 * Messages structure and finds Claude Code's injected values ({@link dev.sluice.cache.key.Markers}),
 * and {@link dev.sluice.cache.key.KeyWriter} hashes the canonical form, finding the developer's paths
 * in each string ({@link dev.sluice.cache.key.PathSites}) just before it hashes it. The writer resumes
 * a growing conversation's messages from the hash state an earlier turn stored
 * ({@link dev.sluice.cache.key.KeyCheckpoints}), so a long request's hit hashes only its new messages.
 * Canonicalisation rules are versioned ({@link dev.sluice.cache.key.KeyRule}) and the versions are
 * part of every key.
 */
package dev.sluice.cache.key;
