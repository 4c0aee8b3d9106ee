package dev.sluice.identity;

import java.math.BigDecimal;

/** Spend caps as operators write them (USD, up to nine decimals) and as the database keeps them (nano-USD). */
public final class Usd {
    /** A billion dollars a month: above any real cap, far below where nano-USD overflows a long. */
    static final BigDecimal MAX = BigDecimal.valueOf(1_000_000_000L);

    private Usd() {
    }

    /** Parses {@code "50"} or {@code "12.5"}; a leading {@code $} is allowed. */
    public static BigDecimal parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("$")) {
            t = t.substring(1);
        }
        try {
            return check(new BigDecimal(t));
        } catch (NumberFormatException e) {
            throw IdentityException.invalid("monthly cap: \"" + text + "\" (expected: USD such as 50 or 12.50)");
        }
    }

    /** Null passes; anything else must be between 0 and a billion with at most nine decimals. */
    public static BigDecimal check(BigDecimal usd) {
        if (usd == null) {
            return null;
        }
        if (usd.signum() < 0 || usd.compareTo(MAX) > 0 || usd.stripTrailingZeros().scale() > 9) {
            throw IdentityException.invalid("monthly cap: " + usd.toPlainString()
                    + " (expected: USD from 0 to 1000000000 with at most 9 decimals)");
        }
        BigDecimal plain = usd.stripTrailingZeros();
        return plain.scale() < 0 ? plain.setScale(0) : plain;
    }

    public static Long toNano(BigDecimal usd) {
        return usd == null ? null : usd.movePointRight(9).longValueExact();
    }

    public static BigDecimal fromNano(Long nano) {
        return nano == null ? null : check(BigDecimal.valueOf(nano, 9));
    }
}
