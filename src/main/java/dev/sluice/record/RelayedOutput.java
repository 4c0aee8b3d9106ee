package dev.sluice.record;

import dev.sluice.wire.Usage;

/**
 * The output an attempt had relayed toward its client when the gateway died, as counted in its in-flight slot:
 * the payload bytes of its {@code content_block_delta} events (text, thinking, tool input) and how many there were.
 * A crash bills at least this much output, on top of what the upstream had reported.
 *
 * <p>Converting bytes to tokens, the estimate must err high, never low: the client demonstrably has that output and
 * the upstream billed it. Claude's tokenizer averages about 3.5 to 4 bytes per token on English prose and about 3 on
 * code and JSON; CJK text is 3 bytes per character in UTF-8 at about a token per character. So
 * {@link #BYTES_PER_TOKEN} is 3 (15 to 30% high on prose, about even on code and CJK), and no fewer tokens than
 * non-empty deltas are billed (a text delta holds at least one token; a thinking signature counted as one errs high). Payload bytes are counted as they
 * stand in the JSON, escapes included, which errs high again. The gateway's own estimate for a stream cut with
 * {@code cancel} ({@code wire.StreamUsage}, four bytes per token) is a different path and is not used here.
 */
record RelayedOutput(long payloadBytes, long deltas) {
    static final int BYTES_PER_TOKEN = 3;
    static final RelayedOutput NONE = new RelayedOutput(0, 0);

    /** The output tokens this much relayed output is billed at, at least. */
    long tokens() {
        long fromBytes = payloadBytes <= 0 ? 0 : (payloadBytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        return Math.min(Usage.MAX_COUNT, Math.max(Math.max(0, deltas), fromBytes));
    }

    /**
     * {@code reported} with its output raised to at least what was relayed. A final count from the upstream (the
     * stream's last {@code message_delta} had arrived: {@code estimated} false and output above zero) is what the
     * upstream billed and stays as it is; anything else is the upstream's word so far, and the larger count wins.
     */
    Usage atLeastRelayed(Usage reported, boolean estimated) {
        boolean finalCount = !estimated && reported.outputTokens() > 0;
        long relayed = tokens();
        if (finalCount || relayed <= reported.outputTokens()) {
            return reported;
        }
        return new Usage(reported.inputTokens(), relayed, reported.cacheCreationInputTokens(), reported.cacheReadInputTokens(),
                reported.cacheCreation5m(), reported.cacheCreation1h(), reported.webSearchRequests(), reported.webFetchRequests());
    }
}
