package dev.sluice.pipeline;

import java.math.BigDecimal;

/**
 * What one record cost, in integer nano-USD so sums in SQL stay exact.
 *
 * @param nanoUsd                     the charge
 * @param providerCacheSavingsNanoUsd what the cache-read tokens would have cost at the input rate, minus what they cost
 * @param defaultPriced               true when the model was unknown and the table's default price applied
 */
public record Cost(long nanoUsd, long providerCacheSavingsNanoUsd, boolean defaultPriced) {

    public static final Cost ZERO = new Cost(0, 0, false);

    /** The charge in USD, exact (nine decimals). */
    public BigDecimal usd() {
        return BigDecimal.valueOf(nanoUsd, 9);
    }

    public Cost plus(Cost o) {
        return new Cost(Math.addExact(nanoUsd, o.nanoUsd),
                Math.addExact(providerCacheSavingsNanoUsd, o.providerCacheSavingsNanoUsd),
                defaultPriced || o.defaultPriced);
    }
}
