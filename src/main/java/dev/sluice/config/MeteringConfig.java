package dev.sluice.config;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * Pricing.
 *
 * @param prices     an operator price file merged over the built-in table, or null
 * @param multiplier applied to every price (negotiated discounts, markups)
 */
public record MeteringConfig(Path prices, BigDecimal multiplier) {
    public MeteringConfig {
        multiplier = multiplier == null ? BigDecimal.ONE : multiplier;
    }

    public static MeteringConfig defaults() {
        return new MeteringConfig(null, null);
    }
}
