package dev.sluice.cache.semantic.index;

import dev.sluice.cache.semantic.guard.CodeIdentity;
import java.util.Objects;

/**
 * What the index keeps per cached question: the caller's entry id (the exact cache's key of the
 * stored answer), the question's code identity, its verification vector (the transformer's; null
 * when the matcher does not verify), when it was stored, and its verification windows (null for a
 * question of one window, see {@link EntryWindows}). The question text itself is not kept.
 */
public record StoredEntry(String entryId, CodeIdentity identity, float[] verifyVector, long storedAtMillis,
                          EntryWindows windows) {
    public StoredEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(identity, "identity");
    }

    public StoredEntry(String entryId, CodeIdentity identity, float[] verifyVector, long storedAtMillis) {
        this(entryId, identity, verifyVector, storedAtMillis, null);
    }

    /** Heap held beyond the index's per-entry bookkeeping: the compact windows. */
    public long windowBytes() {
        return windows == null ? 0 : windows.ramBytes();
    }
}
