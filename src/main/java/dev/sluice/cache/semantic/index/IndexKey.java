package dev.sluice.cache.semantic.index;

import java.util.Objects;

/** One index: a tenant scope (e.g. {@code org:acme}), an anchor, and the embedding model's id. */
public record IndexKey(String scope, Anchor anchor, String model) {
    public IndexKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(model, "model");
    }
}
