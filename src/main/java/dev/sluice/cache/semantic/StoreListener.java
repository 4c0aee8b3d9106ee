package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.StoredEntry;

/** Told about every entry stored locally and every verdict reached locally, so it can share them with other replicas. */
public interface StoreListener {
    StoreListener NONE = (key, vector, entry) -> {
    };

    void stored(IndexKey key, float[] retrievalVector, StoredEntry entry);

    /** A verdict on a hit or would-be hit of {@code entryId} reached on this replica. */
    default void verdict(String entryId, double similarity, boolean correct) {
    }
}
