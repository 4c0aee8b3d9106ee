package dev.sluice.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a caller stands against the cap that binds tightest: spend, cap, utilization, reset time.
 * Renders Claude Code's usage-limit headers and the 429 it expects at the line.
 *
 * @param scope     "key" or "user"
 * @param spentNano spend this month in nano-USD
 * @param capNano   the cap in nano-USD
 * @param resetsAt  start of next month (UTC)
 */
public record Standing(String scope, long spentNano, long capNano, Instant resetsAt) {
    private static final double[] THRESHOLDS = {0.95, 0.75};

    static Standing of(String scope, long spentNano, BigDecimal capUsd, YearMonth month) {
        long cap = capUsd.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        return new Standing(scope, spentNano, cap, month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    public boolean exceeded() {
        return spentNano >= capNano;
    }

    public double utilization() {
        return capNano <= 0 ? 1.0 : (double) spentNano / capNano;
    }

    /** Two decimals, held below 1 while still allowed (Claude Code reads 1 as "at the line"). */
    String utilizationText() {
        double u = Math.round(utilization() * 100) / 100.0;
        return String.valueOf(exceeded() ? u : Math.min(u, 0.99));
    }

    /**
     * The headers for a response that was served: a request that itself crossed the line was still
     * answered, so it reads as "almost there" (the next one is refused), never as rejected.
     */
    Map<String, String> servedHeaders(Instant now) {
        return exceeded() ? new Standing(scope, capNano - 1, capNano, resetsAt).headers(now) : headers(now);
    }

    /** The headers Claude Code reads on every response of a capped caller. */
    Map<String, String> headers(Instant now) {
        Map<String, String> h = new LinkedHashMap<>();
        String reset = Long.toString(resetsAt.getEpochSecond());
        String status = exceeded() ? "rejected" : surpassed() != null ? "allowed_warning" : "allowed";
        h.put("anthropic-ratelimit-unified-status", status);
        h.put("anthropic-ratelimit-unified-reset", reset);
        h.put("anthropic-ratelimit-unified-overage-reset", reset);
        h.put("anthropic-ratelimit-unified-overage-utilization", utilizationText());
        String threshold = exceeded() ? "1" : surpassed();
        if (threshold != null) {
            h.put("anthropic-ratelimit-unified-overage-surpassed-threshold", threshold);
        }
        if (exceeded()) {
            h.put("anthropic-ratelimit-unified-overage-period", "monthly");
            h.put("anthropic-ratelimit-unified-overage-disabled-reason", "org_spend_cap_reached");
            h.put("retry-after", Long.toString(Math.max(1, resetsAt.getEpochSecond() - now.getEpochSecond())));
        } else {
            h.put("anthropic-ratelimit-unified-representative-claim", "overage");
            h.put("anthropic-ratelimit-unified-overage-status", status);
        }
        return h;
    }

    private String surpassed() {
        double u = utilization();
        for (double t : THRESHOLDS) {
            if (u > t) {
                return String.valueOf(t);
            }
        }
        return null;
    }

    /** The message Claude Code prints when the line is reached. */
    String blockedMessage() {
        var d = resetsAt.atZone(ZoneOffset.UTC);
        return "spend limit reached · resets " + d.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + d.getDayOfMonth()
                + " · ask your platform team for an increase";
    }
}
