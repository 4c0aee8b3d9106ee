package dev.sluice.budget.engine;

import dev.sluice.wire.ApiError;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the stage needs to refuse a request the way Claude Code renders it: what ran out, when it resets,
 * whom to ask, and whether the scope was the caller's own or a shared pool.
 *
 * @param kind      exhausted (billing_error, no retry), in flight (rate_limit_error, retry in seconds) or
 *                  unavailable (counters unreachable and the policy is fail-closed)
 * @param standing  the budget that refused
 * @param zone      the budgets' time zone, for the reset date in the message
 * @param now       when the decision was made
 */
public record BlockNotice(Kind kind, BudgetStanding standing, ZoneId zone, Instant now) {
    /** Seconds a caller is asked to wait while requests in flight settle. */
    public static final long IN_FLIGHT_RETRY_SECONDS = 2;
    /** Seconds a caller is asked to wait while the counters are unreachable. */
    public static final long UNAVAILABLE_RETRY_SECONDS = 5;

    public enum Kind { EXHAUSTED, IN_FLIGHT, UNAVAILABLE }

    public int status() {
        return 429;
    }

    /** {@code billing_error} at the line, {@code rate_limit_error} for the transient refusals. */
    public String errorType() {
        return kind == Kind.EXHAUSTED ? "billing_error" : "rate_limit_error";
    }

    public boolean shouldRetry() {
        return kind != Kind.EXHAUSTED;
    }

    /** The {@code group_pool} scope: a shared budget rather than the caller's own ran out. */
    public boolean groupPool() {
        return standing.sharedPool();
    }

    public Instant resetsAt() {
        return standing.resetsAt();
    }

    public long retryAfterSeconds() {
        return switch (kind) {
            case EXHAUSTED -> UnifiedHeaders.secondsUntil(now, standing.resetsAt());
            case IN_FLIGHT -> IN_FLIGHT_RETRY_SECONDS;
            case UNAVAILABLE -> UNAVAILABLE_RETRY_SECONDS;
        };
    }

    /** "spend limit reached for team payments (monthly $500.00) · resets Dec 1 · ask #payments-eng for an increase". */
    public String message() {
        BudgetStanding s = standing;
        return switch (kind) {
            case EXHAUSTED -> (s.metric().money() ? "spend" : "token") + " limit reached for " + whose(s) + " (" + s.period() + " "
                    + s.amountText(s.amount()) + ") · resets " + resetText() + " · ask " + s.contact() + " for an increase";
            case IN_FLIGHT -> "budget for " + s.scopeText() + " is nearly used: requests in flight could reach its " + s.period()
                    + " limit · retrying in " + IN_FLIGHT_RETRY_SECONDS + " s is safe";
            case UNAVAILABLE -> "budget service unavailable, so requests are paused (fail-closed) · retry shortly or ask "
                    + s.contact();
        };
    }

    /** A key's id means nothing to its holder: the caller's own key is "this key". */
    private static String whose(BudgetStanding s) {
        return s.level() == dev.sluice.budget.rules.Level.KEY ? "this key" : s.scopeText();
    }

    /**
     * At the line, the unified headers' rejected shape, which Claude Code renders as a usage limit with its reset. A
     * transient refusal carries only {@code retry-after}: Claude Code tells a quota's 429 (one with
     * {@code anthropic-ratelimit-unified-status}) from a rate limit's by that header, and a signed-in developer told
     * "rejected" would see a limit reached instead of a retry in a few seconds (round 23).
     */
    public Map<String, String> headers() {
        if (kind != Kind.EXHAUSTED) {
            return Map.of("retry-after", Long.toString(Math.max(1, retryAfterSeconds())));
        }
        return UnifiedHeaders.rejected(standing, "org_spend_cap_reached", retryAfterSeconds());
    }

    /** The error the pipeline turns into the Anthropic envelope with these headers. */
    public ApiError toApiError() {
        return new ApiError(status(), errorType(), message(), shouldRetry(), headers());
    }

    private String resetText() {
        var d = standing.resetsAt().atZone(zone);
        String date = d.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + d.getDayOfMonth();
        return standing.resetsAt().isBefore(now.plusSeconds(86_400)) ? date + String.format(" %02d:%02d", d.getHour(), d.getMinute()) : date;
    }
}
