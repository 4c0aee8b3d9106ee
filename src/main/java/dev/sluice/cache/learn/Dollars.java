package dev.sluice.cache.learn;

import java.math.BigDecimal;

/** Nano-USD as the decimal USD string reports show. */
public final class Dollars {
    private Dollars() {
    }

    public static BigDecimal usd(long nanoUsd) {
        BigDecimal s = BigDecimal.valueOf(nanoUsd, 9).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
