/**
 * Prompt-cache advice from the capture: which prompt prefixes a 1-hour TTL would pay off for (the provider's
 * re-read arithmetic of {@link dev.sluice.cache.prompt.PrefixStats}, fed the captured traffic), and where a
 * {@code cache_control} breakpoint would let requests read a longer shared prefix than their breakpoints do now.
 * {@code sluice cache advice}, {@code GET /admin/cache/advice}.
 */
package dev.sluice.cache.learn.advice;
