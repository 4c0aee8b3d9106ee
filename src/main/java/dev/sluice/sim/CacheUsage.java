package dev.sluice.sim;

/**
 * How a request's input tokens split between fresh input, cache reads and cache writes.
 *
 * @param inputTokens              tokens neither read from nor written to the cache
 * @param cacheReadInputTokens     tokens served from a remembered prefix
 * @param ephemeral5mInputTokens   tokens written under 5-minute breakpoints
 * @param ephemeral1hInputTokens   tokens written under 1-hour breakpoints
 */
record CacheUsage(int inputTokens, int cacheReadInputTokens, int ephemeral5mInputTokens,
                  int ephemeral1hInputTokens) {

    static final CacheUsage NONE = new CacheUsage(0, 0, 0, 0);

    static CacheUsage uncached(int inputTokens) {
        return new CacheUsage(inputTokens, 0, 0, 0);
    }

    int cacheCreationInputTokens() {
        return ephemeral5mInputTokens + ephemeral1hInputTokens;
    }
}
