package dev.sluice.batches;

import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;

/**
 * Who may use which model beyond routing's allow-list: sign-in's model policy (the organisation's and each IdP group's
 * allow and deny lists), which the pipeline applies in stages a batch never passes through, so every request of a batch
 * is put to it here.
 */
@FunctionalInterface
public interface ModelGate {
    /** No policy beyond routing (sign-in off). */
    ModelGate OPEN = (who, requested, resolved, served) -> null;

    /**
     * The refusal when {@code who} may not send {@code requested} (a catalog alias of {@code resolved}, or that id itself)
     * that the route serves as {@code served}; null when they may.
     */
    ApiError refusal(Identity who, String requested, String resolved, String served);
}
