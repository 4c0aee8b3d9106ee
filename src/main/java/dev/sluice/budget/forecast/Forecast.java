package dev.sluice.budget.forecast;

/**
 * A projection of a period's total.
 *
 * @param projected  expected total at the period's end
 * @param low        lower end of the 90% band (never below what is already spent)
 * @param high       upper end of the 90% band
 * @param trend      last 7 days over the 7 before, minus 1 (0.25 = up 25%); NaN when the earlier week had nothing
 * @param daysOfData complete days of history behind the projection (at most 14)
 */
public record Forecast(double projected, double low, double high, double trend, int daysOfData) {
}
