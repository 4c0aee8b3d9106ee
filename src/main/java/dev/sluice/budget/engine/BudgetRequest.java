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
 * @param inputTokens input tokens counted from the body: the calibrated estimate, reserved far from the line
 * @param inputBound  input tokens the upstream can bill at most for this body (never below {@code inputTokens}): the
 *                    worst case, and so the overshoot bound, rests on it (see docs/bench/budget.md)
 * @param maxTokens   the request's {@code max_tokens}
 */
public record BudgetRequest(String requestId, int attempt, Identity identity, String model, long inputTokens, long inputBound,
                            long maxTokens) {
    public BudgetRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(identity, "identity");
        if (inputTokens < 0 || maxTokens < 0 || attempt < 0) {
            throw new IllegalArgumentException("inputTokens " + inputTokens + ", maxTokens " + maxTokens + ", attempt " + attempt
                    + " (expected: all >= 0)");
        }
        inputBound = Math.max(inputBound, inputTokens);
    }

    /** A request whose input count is exact (replays of the ledger, tests): estimate and bound are the same. */
    public BudgetRequest(String requestId, int attempt, Identity identity, String model, long inputTokens, long maxTokens) {
        this(requestId, attempt, identity, model, inputTokens, inputTokens, maxTokens);
    }

    /** The reservation's idempotency key. */
    public String id() {
        return requestId + "/" + attempt;
    }
}
