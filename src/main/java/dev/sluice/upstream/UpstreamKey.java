package dev.sluice.upstream;

/**
 * An upstream credential as an attempt uses it; only the alias is ever logged, recorded or
 * returned. {@link #CALLER} stands for the caller's own credential, passed through in open local mode.
 */
public record UpstreamKey(String alias, String value) {
    public static final UpstreamKey CALLER = new UpstreamKey("caller", null);

    public boolean isCaller() {
        return this == CALLER;
    }

    @Override
    public String toString() {
        return "UpstreamKey[alias=" + alias + ", value=<redacted>]";
    }
}
