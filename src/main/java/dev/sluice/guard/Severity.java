package dev.sluice.guard;

/** How bad a finding is, lowest first, so policies can compare with {@link #atLeast}. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
