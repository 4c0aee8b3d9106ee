package dev.sluice.cache.entry;

import dev.sluice.pipeline.Identity;

/**
 * Decides whether an answer may be stored at all: the hook the guardrails feature fills with its
 * scanner (secrets, credentials, injection markers in responses). A flagged answer is still served
 * to the client that asked; it is only never replayed to anyone.
 */
@FunctionalInterface
public interface WriteGuard {
    /** Why {@code answerText} must not be stored, or null when it may be. */
    String flag(String answerText);

    /**
     * The same for an answer to {@code caller}'s request, so a scanner can apply that tenant's policy; by default the
     * caller makes no difference.
     */
    default String flag(String answerText, Identity caller) {
        return flag(answerText);
    }

    WriteGuard NONE = text -> null;
}
