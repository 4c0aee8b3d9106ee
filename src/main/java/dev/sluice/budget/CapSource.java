package dev.sluice.budget;

import dev.sluice.pipeline.Identity;

/** Where caps come from (the identity registry); must answer from memory, never block. */
@FunctionalInterface
public interface CapSource {
    Caps caps(Identity identity);
}
