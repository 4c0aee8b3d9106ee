package dev.sluice.guard.stage;

import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardRules;
import dev.sluice.guard.Rule;
import dev.sluice.guard.webhook.WebhookVerdict;
import dev.sluice.wire.ApiError;
import java.util.List;

/**
 * The refusal a blocked request gets: 400 {@code policy_blocked}, the error type Claude Code's gateway protocol
 * defines for content policy (the CLI shows the message and does not retry), {@code x-should-retry: false}, and the
 * request id, which is also the audit line's id, in the envelope. The message names each rule and where it matched
 * (message, block, line) so the developer can find it, never the matched text. Other client protocols render the
 * same error in their own envelope.
 */
final class BlockReply {
    static final String TYPE = "policy_blocked";
    /** Findings named in one message; more are counted. */
    static final int NAMED = 3;

    private BlockReply() {
    }

    static ApiError of(GuardVerdict v, String requestId) {
        return new ApiError(400, TYPE, message(v, requestId), false, null);
    }

    static String message(GuardVerdict v, String requestId) {
        StringBuilder m = new StringBuilder("Blocked by the gateway's content policy, nothing was sent to the model: ");
        List<Finding> blocked = v.with(GuardAction.BLOCK);
        WebhookVerdict w = v.webhook();
        if (!blocked.isEmpty()) {
            for (int i = 0; i < Math.min(NAMED, blocked.size()); i++) {
                Finding f = blocked.get(i);
                m.append(i == 0 ? "" : "; ").append(what(f)).append(" (rule ").append(f.rule()).append(", ").append(f.severity().label())
                        .append(") at ").append(GuardVerdict.where(f));
            }
            if (blocked.size() > NAMED) {
                m.append("; and ").append(blocked.size() - NAMED).append(" more");
            }
            m.append(". Remove it from the conversation (or the file the agent read) and try again.");
        } else if (v.truncated() == GuardAction.BLOCK) {
            m.append("the request holds too many suspicious matches to check (rule scan-truncated).");
        } else if (w != null && w.block()) {
            m.append(w.answered() ? "the organisation's policy service refused it" : "the organisation's policy service could not be reached");
            if (!w.ruleId().isEmpty()) {
                m.append(" (rule ").append(w.ruleId()).append(')');
            }
            if (!w.reason().isEmpty()) {
                m.append(": ").append(w.reason());
            }
            m.append('.');
        }
        return m.append(" Audit id ").append(requestId).append('.').toString();
    }

    /** The rule's own description ("A GitHub personal access ... token"), lower-cased at the start, or "a match". */
    private static String what(Finding f) {
        Rule r = GuardRules.named(f.rule());
        if (r == null) {
            return "a match of the operator's rule";
        }
        String d = r.description();
        return d.isEmpty() ? "a match" : Character.toLowerCase(d.charAt(0)) + d.substring(1);
    }
}
