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
        h.put("x-sluice-budget", s.budget() + " (" + headerText(s.scopeText()) + "): " + s.amountText(s.settled()) + " of " + s.amountText(s.amount())
                + " " + s.period() + " used (" + Math.round(s.utilization() * 100) + "%), resets " + s.resetsAt());
        if (s.warnAt() > 0) {
            h.put("x-sluice-budget-warning", headerText(warning(s)));
        }
        return h;
    }

    /** The warning API-key callers (CI, scripts, a developer reading headers) get past an alert or degrade threshold. */
    static String warning(BudgetStanding s) {
        String next = s.blockAt() > 0 ? "requests are refused at " + Math.round(s.blockAt() * 100) + "%"
                : "this budget alerts its owner but does not refuse";
        return Math.round(s.utilization() * 100) + "% of " + s.scopeText() + "'s " + s.period() + " " + s.amountText(s.amount())
                + " used; " + next + " (resets " + s.resetsAt() + ")";
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

    /**
     * {@code text} as a header may carry it: a tag budget's scope is the caller's own tag value, UTF-8 text from an
     * {@code x-sluice-tag-*} header, and the HTTP layer writes each character as one byte (Latin-1; past U+00FF a
     * {@code ?}). {@code repo=日本} went out as {@code repo=??}, and U+0085 as a raw C1 control byte. Anything outside
     * printable ASCII goes out as a JSON-style escape (backslash, u, four hex digits) instead, so the header names the scope exactly and in ASCII.
     */
    static String headerText(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            out.append(String.format("\\u%04x", (int) c));
        }
        return out == null ? text : out.toString();
    }

    static long secondsUntil(Instant now, Instant then) {
        return Math.max(1, then.getEpochSecond() - now.getEpochSecond());
    }

    private static String twoDecimals(double v) {
        return String.valueOf(Math.round(v * 100) / 100.0);
    }
}
