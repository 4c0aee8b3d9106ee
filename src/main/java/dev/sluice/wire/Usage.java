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

    /**
     * The most of any one count an attempt can plausibly report: a hundred times the largest context window. An
     * upstream reporting more is broken or lying; its count is held here and the record flagged as an estimate
     * (see {@link #bounded}), so a price times it stays a number a ledger can sum instead of overflowing.
     */
    public static final long MAX_COUNT = 100_000_000L;

    /**
     * The most server-tool requests (web searches, web fetches) one attempt can plausibly report. Each web search is
     * billed per request ($0.01), so {@link #MAX_COUNT} of them would be a $1M attempt that passes as plausible; a real
     * turn makes a handful, bounded by the tool's {@code max_uses}. A count above this is held here and flagged.
     */
    public static final long MAX_TOOL_REQUESTS = 10_000L;

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
        return new Usage(add(inputTokens, o.inputTokens), add(outputTokens, o.outputTokens),
                add(cacheCreationInputTokens, o.cacheCreationInputTokens), add(cacheReadInputTokens, o.cacheReadInputTokens),
                add(cacheCreation5m, o.cacheCreation5m), add(cacheCreation1h, o.cacheCreation1h),
                add(webSearchRequests, o.webSearchRequests), add(webFetchRequests, o.webFetchRequests));
    }

    /** Counts are never negative, so an overflow shows as a negative sum: it saturates instead of wrapping. */
    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Every token that crossed the wire: input, output, cache writes and cache reads (the TTL breakdown is not added twice). */
    public long totalTokens() {
        return add(add(inputTokens, outputTokens), add(cacheWriteTokens(), cacheReadInputTokens));
    }

    /** Tokens in the prompt as the provider counts them for long-context tiers: input plus cache writes plus cache reads. */
    public long promptTokens() {
        return add(inputTokens, add(cacheWriteTokens(), cacheReadInputTokens));
    }

    /**
     * All cache writes. Normally {@code cacheCreationInputTokens}; if an upstream reports only the TTL breakdown
     * (or a breakdown larger than the total), the breakdown wins so no written token goes unbilled.
     */
    public long cacheWriteTokens() {
        return Math.max(cacheCreationInputTokens, add(cacheCreation5m, cacheCreation1h));
    }

    /** Cache writes billed at the 1-hour rate. */
    public long cacheWrite1hTokens() {
        return cacheCreation1h;
    }

    /** Cache writes billed at the 5-minute rate: every write that is not a 1-hour write. */
    public long cacheWrite5mTokens() {
        return cacheWriteTokens() - cacheCreation1h;
    }

    /** True when every token count is at most {@link #MAX_COUNT} and every tool count at most {@link #MAX_TOOL_REQUESTS}. */
    public boolean plausible() {
        return inputTokens <= MAX_COUNT && outputTokens <= MAX_COUNT && cacheCreationInputTokens <= MAX_COUNT
                && cacheReadInputTokens <= MAX_COUNT && cacheCreation5m <= MAX_COUNT && cacheCreation1h <= MAX_COUNT
                && webSearchRequests <= MAX_TOOL_REQUESTS && webFetchRequests <= MAX_TOOL_REQUESTS;
    }

    /** This usage with every count held to its bound (itself when already plausible). */
    public Usage bounded() {
        if (plausible()) {
            return this;
        }
        return new Usage(Math.min(inputTokens, MAX_COUNT), Math.min(outputTokens, MAX_COUNT),
                Math.min(cacheCreationInputTokens, MAX_COUNT), Math.min(cacheReadInputTokens, MAX_COUNT),
                Math.min(cacheCreation5m, MAX_COUNT), Math.min(cacheCreation1h, MAX_COUNT),
                Math.min(webSearchRequests, MAX_TOOL_REQUESTS), Math.min(webFetchRequests, MAX_TOOL_REQUESTS));
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }
}
