package dev.sluice.record;

import dev.sluice.pipeline.Exchange;
import dev.sluice.wire.Usage;
import java.util.Objects;

/**
 * An answer the gateway's response cache served: no upstream attempt was made, so the record stage writes it
 * as ledger attempt 0 (provider {@code cache}, cost 0) when the exchange completes. The cache stage puts one on
 * the exchange ({@link #KEY}) when it answers.
 *
 * @param model          the model the original answer came from
 * @param original       what the original answer used (the basis of the savings, never billed again)
 * @param savingsNanoUsd what that costs at today's prices: the gateway's saving
 */
public record CacheHitRecord(String model, Usage original, long savingsNanoUsd) {
    public static final Exchange.Key<CacheHitRecord> KEY = new Exchange.Key<>("cache-hit", CacheHitRecord.class);

    /** The provider name the ledger gives a cache hit. */
    public static final String PROVIDER = "cache";

    public CacheHitRecord {
        Objects.requireNonNull(original, "original");
        if (savingsNanoUsd < 0) {
            throw new IllegalArgumentException("savings: " + savingsNanoUsd + " (expected: >= 0)");
        }
    }
}
