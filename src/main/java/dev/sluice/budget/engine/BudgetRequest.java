package dev.sluice.budget.engine;

import dev.sluice.pipeline.Identity;
import java.util.Objects;

/**
 * What the budget stage knows before forwarding an attempt.
 *
 * @param requestId   the gateway's request id
 * @param attempt     the attempt number; with the request id, the idempotency key of the reservation and its settle
 * @param identity    who is calling
 * @param model       the model the route chose (the one that will be billed)
 * @param inputTokens input tokens counted from the body (an estimate; see docs/bench/budget.md for the bound)
 * @param maxTokens   the request's {@code max_tokens}
 */
public record BudgetRequest(String requestId, int attempt, Identity identity, String model, long inputTokens, long maxTokens) {
    public BudgetRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(identity, "identity");
        if (inputTokens < 0 || maxTokens < 0 || attempt < 0) {
            throw new IllegalArgumentException("inputTokens " + inputTokens + ", maxTokens " + maxTokens + ", attempt " + attempt
                    + " (expected: all >= 0)");
        }
    }

    /** The reservation's idempotency key. */
    public String id() {
        return requestId + "/" + attempt;
    }
}
