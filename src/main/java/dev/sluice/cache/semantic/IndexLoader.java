package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.IndexKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fills a local index from shared storage before its first lookup on this replica (Redis when
 * configured). Completes at once for an index it already knows about.
 */
public interface IndexLoader {
    IndexLoader NONE = key -> CompletableFuture.completedFuture(null);

    CompletionStage<Void> ensureLoaded(IndexKey key);
}
