package dev.sluice.cache.report;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The cache's effect on one group of requests (Messages calls only).
 *
 * @param group               dimension → value; a value is null where the records had none
 * @param requests            requests in the group
 * @param hits                answered by the exact cache
 * @param semanticHits        answered by the semantic cache
 * @param misses              looked up, not found, sent upstream (refreshes included)
 * @param bypasses            not looked up (cache off, mode off, no-store read, not cacheable, store down)
 * @param savedInputTokens    prompt tokens the hits' original answers used: not sent upstream again
 * @param savedOutputTokens   output tokens the hits' original answers used
 * @param missedInputTokens   prompt tokens of the looked-up requests that went upstream
 * @param gatewaySavingsNanoUsd what the hits saved, at the prices of the day they were served
 * @param providerCacheSavingsNanoUsd what the provider's own prompt cache saved on the requests that went upstream
 * @param costNanoUsd         what the group cost upstream
 */
public record CacheReportRow(Map<String, String> group, long requests, long hits, long semanticHits, long misses,
                             long bypasses, long savedInputTokens, long savedOutputTokens, long missedInputTokens,
                             long gatewaySavingsNanoUsd, long providerCacheSavingsNanoUsd, long costNanoUsd) {

    /** Share of looked-up requests the cache answered, 0 to 1 (0 when none were looked up). */
    public double hitRate() {
        long looked = hits + semanticHits + misses;
        return looked == 0 ? 0 : (double) (hits + semanticHits) / looked;
    }

    /** Share of looked-up prompt tokens the cache answered, 0 to 1. */
    public double tokenHitRate() {
        long all = savedInputTokens + missedInputTokens;
        return all == 0 ? 0 : (double) savedInputTokens / all;
    }

    public BigDecimal savedUsd() {
        return BigDecimal.valueOf(gatewaySavingsNanoUsd, 9);
    }

    public BigDecimal providerCacheSavedUsd() {
        return BigDecimal.valueOf(providerCacheSavingsNanoUsd, 9);
    }

    public BigDecimal costUsd() {
        return BigDecimal.valueOf(costNanoUsd, 9);
    }
}
