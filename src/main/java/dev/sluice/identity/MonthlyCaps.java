package dev.sluice.identity;

import java.math.BigDecimal;

/**
 * The spend caps that apply to a key per calendar month, in USD; either may be null for none.
 *
 * @param keyUsd  the key's own cap
 * @param userUsd the cap over all keys of the key's user
 */
public record MonthlyCaps(BigDecimal keyUsd, BigDecimal userUsd) {

    public static final MonthlyCaps NONE = new MonthlyCaps(null, null);

    public boolean isEmpty() {
        return keyUsd == null && userUsd == null;
    }

    /** The key's cap in the ledger's unit, nano-USD, or null. */
    public Long keyNanoUsd() {
        return Usd.toNano(keyUsd);
    }

    /** The user's cap in nano-USD, or null. */
    public Long userNanoUsd() {
        return Usd.toNano(userUsd);
    }
}
