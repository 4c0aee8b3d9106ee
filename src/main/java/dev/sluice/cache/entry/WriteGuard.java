package dev.sluice.cache.entry;

/**
 * Decides whether an answer may be stored at all: the hook the guardrails feature fills with its
 * scanner (secrets, credentials, injection markers in responses). A flagged answer is still served
 * to the client that asked; it is only never replayed to anyone.
 */
@FunctionalInterface
public interface WriteGuard {
    /** Why {@code answerText} must not be stored, or null when it may be. */
    String flag(String answerText);

    WriteGuard NONE = text -> null;
}
