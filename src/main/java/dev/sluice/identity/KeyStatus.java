package dev.sluice.identity;

/** Whether a key can be used right now. */
public enum KeyStatus { ACTIVE, EXPIRED, REVOKED;

    /** Lower case, as listings and JSON show it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
