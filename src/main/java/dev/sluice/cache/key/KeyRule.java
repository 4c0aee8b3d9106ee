package dev.sluice.cache.key;

/**
 * An optional canonicalisation rule. Each has a version that goes into every key made with it, so a
 * changed rule never serves entries stored under the old one. The JSON rules themselves (whitespace,
 * key order, number form, {@code cache_control}, {@code metadata}, {@code stream}) are always on and
 * versioned as {@link RequestKeyer#FORMAT}.
 */
public enum KeyRule {
    /** Drop Claude Code's {@code x-anthropic-billing-header: ...} system block (a header smuggled into the prompt, not prompt text). */
    BILLING_HEADER("claude-code-billing-header", 1, true),
    /** Workspace, home and project-slug paths become placeholders (workspace-relative caching). */
    WORKSPACE_PATHS("workspace-paths", 1, true),
    /** The {@code Git user:} line of Claude Code's git status reminder. */
    GIT_USER("git-user", 1, true),
    /** The {@code Today's date is ...} line. */
    DATE("date", 1, true),
    /** Tool-use ids become ordinals in order of appearance (upstream-random, never meaningful). */
    TOOL_USE_IDS("tool-use-ids", 1, true),
    /** In text, CRLF becomes LF and trailing spaces and tabs of each line go. */
    TEXT_WHITESPACE("text-whitespace", 1, false),
    /**
     * Escapes JSON does not need (<code>\/</code>, <code>&#92;u00e9</code>, surrogate pairs) key like the plain
     * characters. Off by default: one client always escapes the same way, and looking for them costs a second
     * scan of every string (a request from a different serializer is a miss, never a wrong hit).
     */
    JSON_ESCAPES("json-escapes", 1, false);

    private final String label;
    private final int version;
    private final boolean defaultOn;

    KeyRule(String label, int version, boolean defaultOn) {
        this.label = label;
        this.version = version;
        this.defaultOn = defaultOn;
    }

    public String label() {
        return label;
    }

    public int version() {
        return version;
    }

    public boolean defaultOn() {
        return defaultOn;
    }

    public static KeyRule byLabel(String label) {
        for (KeyRule r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        StringBuilder known = new StringBuilder();
        for (KeyRule r : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(r.label);
        }
        throw new IllegalArgumentException("cache key rule: '" + label + "' (expected one of: " + known + ")");
    }
}
