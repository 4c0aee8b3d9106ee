package dev.sluice.budget;

import dev.sluice.identity.MonthlyCaps;
import dev.sluice.pipeline.Identity;

/** Where caps come from (the identity registry); must answer from memory, never block. */
@FunctionalInterface
public interface CapSource {
    /** The caller's caps, or {@link MonthlyCaps#NONE}. */
    MonthlyCaps caps(Identity identity);
}
