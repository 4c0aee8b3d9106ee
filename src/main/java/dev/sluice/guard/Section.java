package dev.sluice.guard;

/** The part of a Messages body a finding is in. */
public enum Section {
    /** {@code system}: the system prompt (Claude Code puts CLAUDE.md, git status and the environment here). */
    SYSTEM("system"),
    /** {@code messages}: the conversation. */
    MESSAGES("messages"),
    /** {@code tools}: tool definitions (MCP servers write their own descriptions). */
    TOOLS("tools"),
    /** {@code content} of an answer (a response body or stream). */
    ANSWER("content"),
    /** Anything else in the body. */
    OTHER("body");

    private final String field;

    Section(String field) {
        this.field = field;
    }

    /** The JSON field this section is. */
    public String field() {
        return field;
    }
}
