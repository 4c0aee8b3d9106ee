package dev.sluice.signin.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The body of {@code GET /api/oauth/usage} for a signed-in client: the cap the headers describe in
 * {@code extra_usage} (cents, as numbers; whole percents) and one {@code limits} row for it, whose
 * {@code resets_at} is the same instant as the {@code overage-reset} header (the client pairs dollars
 * with the percent only when they agree to the second). Without a cap: {@code "limits": []} and the
 * month's, day's and week's spend, with null limits (0 would read as a $0 cap).
 */
public final class UsageDocument {
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private UsageDocument() {
    }

    /** Spend without a cap, nano-USD, for the current UTC month, day and week from Monday. */
    public record Uncapped(long monthNanoUsd, long dayNanoUsd, long weekNanoUsd) {
    }

    public static ObjectNode capped(UsageStanding s) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        long pct = Math.round(s.utilization() * 100);
        ObjectNode extra = body.putObject("extra_usage");
        extra.put("is_enabled", true);
        extra.put("monthly_limit", cents(s.limitNanoUsd()));
        extra.put("used_credits", cents(s.spentNanoUsd()));
        extra.put("utilization", pct);
        extra.put("currency", "USD");
        ObjectNode row = body.putArray("limits").addObject();
        row.put("kind", "spend");
        row.put("group", s.period().name().toLowerCase(Locale.ROOT));
        row.put("percent", pct);
        row.put("resets_at", ISO_MILLIS.format(s.resetsAt()));
        row.put("severity", s.reached() || s.utilization() > 0.95 ? "critical" : s.utilization() > 0.75 ? "warning" : "normal");
        row.put("is_active", true);
        return body;
    }

    public static ObjectNode uncapped(Uncapped u) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode extra = body.putObject("extra_usage");
        extra.put("is_enabled", true);
        extra.putNull("monthly_limit");
        extra.put("used_credits", cents(u.monthNanoUsd()));
        extra.putNull("utilization");
        extra.put("currency", "USD");
        period(extra.putObject("daily"), u.dayNanoUsd());
        period(extra.putObject("weekly"), u.weekNanoUsd());
        body.putArray("limits");
        return body;
    }

    private static void period(ObjectNode o, long nanoUsd) {
        o.putNull("limit");
        o.put("used_credits", cents(nanoUsd));
        o.putNull("utilization");
    }

    /** Whole cents, rounded down (never shows more spent than was). */
    static long cents(long nanoUsd) {
        return Math.floorDiv(nanoUsd, 10_000_000L);
    }
}
