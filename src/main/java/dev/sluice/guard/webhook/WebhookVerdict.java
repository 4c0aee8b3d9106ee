package dev.sluice.guard.webhook;

/**
 * What the policy webhook decided, or what its failure means under the fail mode.
 *
 * @param block   true when the request must be blocked
 * @param reason  the webhook's reason for people (at most 500 characters, control characters removed), or why it failed
 * @param ruleId  the webhook's rule id (at most 100 characters), or "" when none
 * @param outcome whether the webhook answered, and if not, why
 */
public record WebhookVerdict(boolean block, String reason, String ruleId, Outcome outcome) {

    /** How the call went. */
    public enum Outcome {
        /** The webhook answered with a well-formed verdict. */
        ANSWERED,
        /** No complete answer within the timeout: the fail mode decided. */
        TIMEOUT,
        /** Connection failure, a non-2xx status, or an answer that is not a verdict: the fail mode decided. */
        FAILED
    }

    public boolean answered() {
        return outcome == Outcome.ANSWERED;
    }
}
