/**
 * Miss analysis: for each miss in a capture, the nearest earlier request of the same organization and why the
 * cache could not answer from it, as named {@link dev.sluice.cache.learn.misses.MissPattern patterns} with counts
 * and the dollars the misses cost. {@code sluice cache misses}, {@code GET /admin/cache/misses}.
 */
package dev.sluice.cache.learn.misses;
