package dev.sluice.budget.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * What an alert says. Amounts are in the budget's unit: USD (as decimals) for money budgets, tokens otherwise.
 *
 * @param thresholdPercent the threshold crossed
 * @param action           what happens from now on at this threshold: alert, degrade or block
 * @param nextPercent      the next threshold, or 0 when this was the last
 * @param nextAction       what happens there, or null
 * @param trend            last 7 days over the previous 7, minus 1; NaN when unknown
 */
public record AlertPayload(String budget, String scope, String unit, double amount, double spent, double percent,
                           int thresholdPercent, String action, int nextPercent, String nextAction, Instant periodStart,
                           Instant periodEnd, double projected, double projectedLow, double projectedHigh, double trend,
                           String contact, Instant at) {

    public String toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "sluice.budget.threshold");
        n.put("budget", budget);
        n.put("scope", scope);
        n.put("unit", unit);
        n.put("amount", round(amount));
        n.put("spent", round(spent));
        n.put("percent", BigDecimal.valueOf(percent).setScale(1, RoundingMode.HALF_UP));
        n.put("threshold_percent", thresholdPercent);
        n.put("policy", action);
        if (nextAction != null) {
            n.putObject("next").put("threshold_percent", nextPercent).put("policy", nextAction);
        }
        n.put("period_start", periodStart.toString());
        n.put("period_end", periodEnd.toString());
        ObjectNode f = n.putObject("projected_period_end");
        f.put("expected", round(projected));
        f.put("low", round(projectedLow));
        f.put("high", round(projectedHigh));
        f.put("confidence", 0.9);
        if (Double.isNaN(trend)) {
            n.putNull("trend_vs_previous_7d");
        } else {
            n.put("trend_vs_previous_7d", BigDecimal.valueOf(trend).setScale(3, RoundingMode.HALF_UP));
        }
        n.put("contact", contact);
        n.put("at", at.toString());
        return n.toString();
    }

    /** One line for chat and email subjects. */
    public String headline() {
        return "Budget " + budget + " (" + scope + ") passed " + thresholdPercent + "%: " + money(spent) + " of " + money(amount)
                + " used; " + action + " applies";
    }

    /** The human text for Slack and email. */
    public String text() {
        String trendText = Double.isNaN(trend) ? "no earlier week to compare" : String.format("%+.0f%% vs the previous 7 days", trend * 100);
        return headline() + ".\nProjected by " + periodEnd + ": " + money(projected) + " (90% band " + money(projectedLow) + " – "
                + money(projectedHigh) + "), " + trendText + "."
                + (nextAction == null ? "" : "\nAt " + nextPercent + "%: " + nextAction + ".")
                + "\nOwner: " + contact;
    }

    private String money(double v) {
        return unit.equals("usd") ? String.format("$%,.2f", v) : String.format("%,.0f %s", v, unit);
    }

    private static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
