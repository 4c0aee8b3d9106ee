package dev.sluice.budget;

import java.math.BigDecimal;

/**
 * The monthly spend caps that apply to a caller, in USD; null means no cap at that level.
 *
 * @param keyMonthlyUsd  cap on the key
 * @param userMonthlyUsd cap on the key's user (all of the user's keys together)
 */
public record Caps(BigDecimal keyMonthlyUsd, BigDecimal userMonthlyUsd) {
    public static final Caps NONE = new Caps(null, null);

    public boolean any() {
        return keyMonthlyUsd != null || userMonthlyUsd != null;
    }
}
