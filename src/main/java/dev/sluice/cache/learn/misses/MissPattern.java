package dev.sluice.cache.learn.misses;

/** Why a miss missed, in the order {@link MissAnalysis} tries them. */
public enum MissPattern {
    REFRESH("refresh", "the client asked for a fresh answer (force refresh or no-cache)"),
    NOT_STORED("not-stored", "the same request was seen but its answer was not stored (no-store, error, cut, flagged)"),
    BUSTED("namespace-busted", "the entry was there but its scope or namespace was busted since"),
    EXPIRED("expired", "the entry was there but older than its TTL"),
    EVICTED_OR_CONCURRENT("evicted-or-concurrent", "stored and fresh, yet not found: evicted for room, or still being answered"),
    DIFFERENT_NAMESPACE("different-namespace", "the same request was answered under another namespace"),
    DIFFERENT_SCOPE("different-scope", "the same request was answered in another scope (team, user or key) of the organization"),
    WHITESPACE_ONLY("whitespace-only", "differs from an earlier request only in line endings or trailing blanks"),
    DEVELOPER_VALUE("developer-value-not-rewritten", "differs only in a path, home directory, user name, id or date the keyer did not rewrite"),
    DIFFERENT_MODEL_OR_PARAMS("different-model-or-params", "same prompt, different model, target or sampling parameters"),
    SEMANTIC_BELOW_THRESHOLD("semantic-below-threshold", "same context, a newest question similar in meaning but below the semantic threshold"),
    DIFFERENT_CONTEXT("different-context", "same system and tools, an earlier turn differs"),
    DIFFERENT_SYSTEM_OR_TOOLS("different-system-or-tools", "the system prompt or tool definitions differ"),
    NEW_QUESTION("new-question", "same context, a different newest question"),
    FIRST_SEEN("first-seen", "nothing comparable earlier in this scope"),
    UNEXPLAINED("unexplained", "an earlier request matches every captured part: a key rule or context outside the capture differs");

    private final String label;
    private final String meaning;

    MissPattern(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }
}
