package dev.sluice.guard.stage;

import java.util.Locale;

/** What a finding leads to, mildest first, so the strictest of several is the largest. */
public enum GuardAction {
    /** Forward unchanged; the verdict goes to the ledger, the trace and the audit log. */
    FLAG,
    /** Replace the matched bytes with a stable placeholder, then forward. */
    REDACT,
    /** Refuse with 400 {@code policy_blocked}; nothing is forwarded. */
    BLOCK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stricter of the two; null counts as absent. */
    static GuardAction stricter(GuardAction a, GuardAction b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Reads {@code block}, {@code redact} or {@code flag}; null stays null.
     *
     * @param key the configuration key, for the error message
     */
    static GuardAction parse(String value, String key) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "block" -> BLOCK;
            case "redact" -> REDACT;
            case "flag" -> FLAG;
            default -> throw new IllegalArgumentException(key + ": '" + value + "' (expected: block, redact or flag)");
        };
    }
}
