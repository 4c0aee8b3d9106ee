package dev.sluice.budget.engine;

import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Metric;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * Where a caller stands against one budget limit: the one that binds tightest is what headers and messages show.
 *
 * @param budget     the budget's name
 * @param level      its level
 * @param entity     whom it covers (team id, tag value, ...)
 * @param sharedPool true when several people draw from it (org, team, tag, a pool's overflow): {@code group_pool}
 * @param metric     USD or tokens
 * @param amount     the 100% mark
 * @param settled    settled so far this period
 * @param reserved   reserved by requests in flight (their calibrated estimates)
 * @param resetsAt   when the period ends (calendar) or the oldest spend leaves the window (rolling)
 * @param period     daily, weekly, monthly or "rolling 7d"
 * @param contact    whom to ask for more
 * @param warnings   the alert and degrade thresholds, as ascending fractions of the amount (0.75, 0.9)
 * @param blockAt    the block threshold as a fraction of the amount (1.0, 1.1), or 0 when this budget never blocks
 * @param line       which line of the budget: {@code budget} (the whole), {@code share} or {@code overflow} of a pool
 */
public record BudgetStanding(String budget, Level level, String entity, boolean sharedPool, Metric metric, long amount,
                             long settled, long reserved, Instant resetsAt, String period, String contact, List<Double> warnings,
                             double blockAt, String line) {

    public BudgetStanding {
        warnings = List.copyOf(warnings);
    }

    /** The highest alert or degrade threshold passed, as a fraction (0.75), or 0. */
    public double warnAt() {
        double u = utilization();
        double at = 0;
        for (double w : warnings) {
            if (u >= w) {
                at = w;
            }
        }
        return at;
    }

    public double utilization() {
        return amount <= 0 ? 1.0 : (double) settled / amount;
    }

    /** True when settled spend has reached the block threshold: new requests are refused until the reset. */
    public boolean blocked() {
        return blockAt > 0 && settled >= Math.ceil(amount * blockAt);
    }

    /** True for a calendar period (daily, weekly, monthly), false for a rolling window. */
    public boolean calendar() {
        return !period.startsWith("rolling");
    }

    /** This standing with {@code more} added to what is settled (a request whose cost is already known). */
    public BudgetStanding plusSettled(long more) {
        return more <= 0 ? this : new BudgetStanding(budget, level, entity, sharedPool, metric, amount, settled + more, reserved,
                resetsAt, period, contact, warnings, blockAt, line);
    }

    /** "team payments", "tag repo=payments", "user ana". */
    public String scopeText() {
        return level == Level.TAG ? "tag " + entity : level.label() + " " + entity;
    }

    /** "$500.00" or "2,000,000 tokens". */
    public String amountText(long v) {
        if (metric.money()) {
            BigDecimal usd = BigDecimal.valueOf(v, 9);
            // Cents, unless that would hide a small amount ($0.004 is not "$0.00").
            BigDecimal cents = usd.setScale(2, RoundingMode.HALF_UP);
            return "$" + (cents.compareTo(usd) == 0 || usd.compareTo(BigDecimal.ONE) >= 0 ? cents
                    : usd.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()).toPlainString();
        }
        return String.format("%,d %s", v, metric.label());
    }
}
