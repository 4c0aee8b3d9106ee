package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.StoredEntry;

/** Told about every entry stored locally, so it can share it with other replicas. */
public interface StoreListener {
    StoreListener NONE = (key, vector, entry) -> {
    };

    void stored(IndexKey key, float[] retrievalVector, StoredEntry entry);
}
