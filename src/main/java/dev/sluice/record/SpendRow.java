package dev.sluice.record;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Sums over one group of ledger records. Money is integer nano-USD; {@link #costUsd()} gives exact USD.
 *
 * @param group              dimension → value, in the query's order; a value is null where the records had none
 * @param requests           distinct requests (a retried or fallen-back request is one, with several attempts)
 * @param cacheWrite5mTokens cache writes billed at the 5-minute rate
 * @param cacheWrite1hTokens cache writes billed at the 1-hour rate
 * @param estimatedRequests  records whose usage was estimated (a stream cut before its final usage)
 * @param errorRequests      records with an HTTP status of 400 or more, or an error type
 * @param attempts           records: upstream attempts (each billed by its upstream on its own)
 */
public record SpendRow(Map<String, String> group, long requests, long inputTokens, long outputTokens,
                       long cacheWrite5mTokens, long cacheWrite1hTokens, long cacheReadTokens, long webSearchRequests,
                       long webFetchRequests, long costNanoUsd, long providerCacheSavingsNanoUsd,
                       long gatewayCacheSavingsNanoUsd, long estimatedRequests, long errorRequests, long attempts) {

    public BigDecimal costUsd() {
        return BigDecimal.valueOf(costNanoUsd, 9);
    }

    public BigDecimal providerCacheSavingsUsd() {
        return BigDecimal.valueOf(providerCacheSavingsNanoUsd, 9);
    }

    public BigDecimal gatewayCacheSavingsUsd() {
        return BigDecimal.valueOf(gatewayCacheSavingsNanoUsd, 9);
    }

    /** All tokens: input, output, cache writes and cache reads. */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheWrite5mTokens + cacheWrite1hTokens + cacheReadTokens;
    }
}
