package dev.sluice.budget.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Claude Code's {@code anthropic-ratelimit-unified-*} vocabulary (see shared/reference/anthropic-wire.md): on a
 * served response the caller's standing, on a refusal the rejected shape. Utilization is two decimals and stays
 * below 1 while the caller is still allowed, because the CLI reads 1 as "at the line".
 */
final class UnifiedHeaders {
    static final String P = "anthropic-ratelimit-unified-";

    private UnifiedHeaders() {
    }

    static Map<String, String> served(BudgetStanding s) {
        Map<String, String> h = new LinkedHashMap<>();
        String reset = Long.toString(s.resetsAt().getEpochSecond());
        String status = s.warnAt() > 0 ? "allowed_warning" : "allowed";
        h.put(P + "status", status);
        h.put(P + "reset", reset);
        h.put(P + "overage-reset", reset);
        h.put(P + "overage-utilization", twoDecimals(Math.min(s.utilization(), 0.99)));
        if (s.warnAt() > 0) {
            h.put(P + "overage-surpassed-threshold", twoDecimals(s.warnAt()));
        }
        h.put(P + "representative-claim", "overage");
        h.put(P + "overage-status", status);
        if (s.sharedPool()) {
            h.put(P + "overage-scope", "group_pool");
        }
        // Claude Code under API-key auth does not show the unified headers; scripts, CI logs and curl users read this one
        h.put("x-sluice-budget", s.budget() + " (" + s.scopeText() + "): " + s.amountText(s.settled()) + " of " + s.amountText(s.amount())
                + " " + s.period() + " used (" + Math.round(s.utilization() * 100) + "%), resets " + s.resetsAt());
        return h;
    }

    /** Representative-claim and overage-status are left off so the CLI prints the message. */
    static Map<String, String> rejected(BudgetStanding s, String disabledReason, long retryAfterSeconds) {
        Map<String, String> h = new LinkedHashMap<>();
        String reset = Long.toString(s.resetsAt().getEpochSecond());
        h.put(P + "status", "rejected");
        h.put(P + "reset", reset);
        h.put(P + "overage-reset", reset);
        h.put(P + "overage-utilization", "1");
        h.put(P + "overage-surpassed-threshold", "1");
        h.put(P + "overage-period", s.period().startsWith("rolling") ? "rolling" : s.period());
        h.put(P + "overage-disabled-reason", disabledReason);
        if (s.sharedPool()) {
            h.put(P + "overage-scope", "group_pool");
        }
        h.put("retry-after", Long.toString(Math.max(1, retryAfterSeconds)));
        return h;
    }

    static long secondsUntil(Instant now, Instant then) {
        return Math.max(1, then.getEpochSecond() - now.getEpochSecond());
    }

    private static String twoDecimals(double v) {
        return String.valueOf(Math.round(v * 100) / 100.0);
    }
}
