package dev.sluice.cache.stage;

import dev.sluice.cache.entry.SecretWriteGuard;
import dev.sluice.cache.entry.WriteGuard;
import dev.sluice.pipeline.Identity;
import java.util.Objects;

/**
 * The cache's write guard: the basic secret check always, then the scanner another feature plugs in
 * ({@link #plug}), e.g. the guardrails' answer scanner through {@link AnswerBodyGuard}. A flagged answer is
 * still served to the client that asked; it is never stored, so never replayed to anyone else.
 * Called on a worker thread, once per answer that is otherwise fit to store.
 */
public final class WriteGuards implements WriteGuard {
    private final WriteGuard basic = new SecretWriteGuard();
    private volatile WriteGuard plugged = WriteGuard.NONE;

    /** Adds {@code scanner} after the basic check (replacing any scanner plugged before). */
    public void plug(WriteGuard scanner) {
        this.plugged = Objects.requireNonNull(scanner, "scanner");
    }

    @Override
    public String flag(String answerText) {
        return flag(answerText, null);
    }

    @Override
    public String flag(String answerText, Identity caller) {
        String why = basic.flag(answerText);
        if (why != null) {
            return why;
        }
        try {
            return caller == null ? plugged.flag(answerText) : plugged.flag(answerText, caller);
        } catch (RuntimeException e) {
            // A scanner that breaks must not let an unchecked answer into the cache.
            return "write guard failed: " + e.getClass().getSimpleName();
        }
    }
}
