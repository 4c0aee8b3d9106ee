package dev.sluice.wire;

/**
 * Token and request counts one upstream attempt consumed, in Anthropic's usage vocabulary.
 *
 * <p>{@code inputTokens} excludes cache reads and writes. {@code cacheCreationInputTokens} is all cache
 * writes; {@code cacheCreation5m} and {@code cacheCreation1h} are the breakdown by TTL when the upstream
 * reports it (both zero when it does not, in which case every write is priced at the 5-minute rate).
 */
public record Usage(long inputTokens, long outputTokens, long cacheCreationInputTokens, long cacheReadInputTokens,
                    long cacheCreation5m, long cacheCreation1h, long webSearchRequests, long webFetchRequests) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0, 0);

    public Usage {
        requireNonNegative("inputTokens", inputTokens);
        requireNonNegative("outputTokens", outputTokens);
        requireNonNegative("cacheCreationInputTokens", cacheCreationInputTokens);
        requireNonNegative("cacheReadInputTokens", cacheReadInputTokens);
        requireNonNegative("cacheCreation5m", cacheCreation5m);
        requireNonNegative("cacheCreation1h", cacheCreation1h);
        requireNonNegative("webSearchRequests", webSearchRequests);
        requireNonNegative("webFetchRequests", webFetchRequests);
    }

    /** Plain input and output tokens only, the common case in tests and simple upstreams. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0, 0, 0, 0, 0);
    }

    /** Field-wise sum, for totals over several attempts or records. */
    public Usage plus(Usage o) {
        return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                cacheCreationInputTokens + o.cacheCreationInputTokens, cacheReadInputTokens + o.cacheReadInputTokens,
                cacheCreation5m + o.cacheCreation5m, cacheCreation1h + o.cacheCreation1h,
                webSearchRequests + o.webSearchRequests, webFetchRequests + o.webFetchRequests);
    }

    /** Every token that crossed the wire: input, output, cache writes and cache reads (the TTL breakdown is not added twice). */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheWriteTokens() + cacheReadInputTokens;
    }

    /** Tokens in the prompt as the provider counts them for long-context tiers: input plus cache writes plus cache reads. */
    public long promptTokens() {
        return inputTokens + cacheWriteTokens() + cacheReadInputTokens;
    }

    /**
     * All cache writes. Normally {@code cacheCreationInputTokens}; if an upstream reports only the TTL breakdown
     * (or a breakdown larger than the total), the breakdown wins so no written token goes unbilled.
     */
    public long cacheWriteTokens() {
        return Math.max(cacheCreationInputTokens, cacheCreation5m + cacheCreation1h);
    }

    /** Cache writes billed at the 1-hour rate. */
    public long cacheWrite1hTokens() {
        return cacheCreation1h;
    }

    /** Cache writes billed at the 5-minute rate: every write that is not a 1-hour write. */
    public long cacheWrite5mTokens() {
        return cacheWriteTokens() - cacheCreation1h;
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }
}
