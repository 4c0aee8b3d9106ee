package dev.sluice.cache.semantic.index;

import dev.sluice.cache.semantic.guard.CodeIdentity;
import java.util.Objects;

/**
 * What the index keeps per cached question: the caller's entry id (the exact cache's key of the
 * stored answer), the question's code identity, its verification vector (the transformer's; null
 * when the matcher does not verify) and when it was stored. The question text itself is not kept.
 */
public record StoredEntry(String entryId, CodeIdentity identity, float[] verifyVector, long storedAtMillis) {
    public StoredEntry {
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(identity, "identity");
    }
}
