package dev.sluice.sim;

/**
 * Sums over every billed request since the recorder was created or cleared (not just the retained window).
 *
 * @param requests                 billed records, rejected ones included
 * @param rejected                 records with outcome REJECTED or RESET
 * @param cut                      records cut by the simulator or cancelled by the client
 * @param inputTokens              uncached input tokens
 * @param outputTokens             output tokens
 * @param cacheCreationInputTokens cache writes
 * @param cacheReadInputTokens     cache reads
 * @param ephemeral5mInputTokens   cache writes under 5-minute breakpoints
 * @param ephemeral1hInputTokens   cache writes under 1-hour breakpoints
 */
public record UsageTotals(long requests, long rejected, long cut, long inputTokens, long outputTokens,
                          long cacheCreationInputTokens, long cacheReadInputTokens, long ephemeral5mInputTokens,
                          long ephemeral1hInputTokens) {

    static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    UsageTotals plus(BilledUsage usage) {
        boolean rejectedFirst = usage.outcome() == BilledUsage.Outcome.REJECTED
                || usage.outcome() == BilledUsage.Outcome.RESET;
        return new UsageTotals(requests + 1, rejected + (rejectedFirst ? 1 : 0), cut + (usage.cut() ? 1 : 0),
                inputTokens + usage.inputTokens(), outputTokens + usage.outputTokens(),
                cacheCreationInputTokens + usage.cacheCreationInputTokens(),
                cacheReadInputTokens + usage.cacheReadInputTokens(),
                ephemeral5mInputTokens + usage.ephemeral5mInputTokens(),
                ephemeral1hInputTokens + usage.ephemeral1hInputTokens());
    }
}
