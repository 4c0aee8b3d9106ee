package dev.sluice.signin.usage;

import dev.sluice.wire.ApiError;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Claude Code's usage-limit headers for signed-in clients, exactly as the gateway protocol gives them:
 * on a served response, {@code status} ({@code allowed} or {@code allowed_warning}), representative
 * claim {@code overage}, {@code overage-status}, {@code overage-utilization} (two decimals, below 1
 * while allowed), {@code overage-surpassed-threshold} past 0.75 and 0.95 (what triggers the CLI's
 * "You've used NN%" notice), and both resets; at the line, the 429 {@code billing_error} without the
 * representative claim and overage status (so the client prints our message), with the period and
 * {@code org_spend_cap_reached}, plus {@code overage-scope: group_pool} for a shared budget; and the
 * bare fail-closed 429 with {@code fetch_error}.
 */
public final class UsageHeaders {
    static final String P = "anthropic-ratelimit-unified-";

    private UsageHeaders() {
    }

    /** Headers for a successful response. A request that itself crossed the line was served, so it reads "almost". */
    public static Map<String, String> served(UsageStanding s) {
        Map<String, String> h = new LinkedHashMap<>();
        double u = Math.min(s.utilization(), 0.99);
        String threshold = u > 0.95 ? "0.95" : u > 0.75 ? "0.75" : null;
        String status = threshold == null ? "allowed" : "allowed_warning";
        String reset = Long.toString(s.resetsAt().getEpochSecond());
        h.put(P + "status", status);
        h.put(P + "representative-claim", "overage");
        h.put(P + "overage-status", status);
        h.put(P + "overage-utilization", twoDecimals(u));
        if (threshold != null) {
            h.put(P + "overage-surpassed-threshold", threshold);
        }
        h.put(P + "reset", reset);
        h.put(P + "overage-reset", reset);
        return h;
    }

    /** The 429 that stops a request at the line, before anything is forwarded. */
    public static ApiError rejected(UsageStanding s, Instant now, String howToAskForMore) {
        if (s.fetchError()) {
            return new ApiError(429, "billing_error",
                    "your usage could not be checked, so this gateway is not sending requests for now · try again in a few minutes",
                    false, Map.of(P + "overage-disabled-reason", "fetch_error"));
        }
        Map<String, String> h = new LinkedHashMap<>();
        String reset = Long.toString(s.resetsAt().getEpochSecond());
        h.put("retry-after", Long.toString(Math.max(1, s.resetsAt().getEpochSecond() - now.getEpochSecond())));
        h.put(P + "status", "rejected");
        h.put(P + "reset", reset);
        h.put(P + "overage-reset", reset);
        h.put(P + "overage-utilization", "1");
        h.put(P + "overage-surpassed-threshold", "1");
        h.put(P + "overage-period", s.scope() == UsageStanding.Scope.GROUP_POOL ? "monthly" : s.period().name().toLowerCase(Locale.ROOT));
        h.put(P + "overage-disabled-reason", "org_spend_cap_reached");
        if (s.scope() == UsageStanding.Scope.GROUP_POOL) {
            h.put(P + "overage-scope", "group_pool");
        }
        var d = s.resetsAt().atZone(ZoneOffset.UTC);
        String what = s.scope() == UsageStanding.Scope.GROUP_POOL ? "your group's shared budget is used up" : "spend limit reached";
        String msg = what + " · resets " + d.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + d.getDayOfMonth()
                + " · " + howToAskForMore;
        return new ApiError(429, "billing_error", msg, false, h);
    }

    static String twoDecimals(double u) {
        return String.format(Locale.ROOT, "%.2f", Math.floor(u * 100) / 100);
    }
}
