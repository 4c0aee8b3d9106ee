/**
 * Projected period-end consumption. {@link dev.sluice.budget.forecast.Forecaster} reads the last 14 complete days,
 * takes their mean as the level and each weekday's mean over level as its factor (so a quiet weekend is not
 * mistaken for a slowdown), and projects the rest of the period day by day; the band comes from the residuals of
 * those 14 days, widened for the uncertainty of the level itself. Back-tested in {@code ForecastBacktestTest}
 * on a synthetic year with weekly seasonality and a step change; results in docs/bench/budget.md.
 */
package dev.sluice.budget.forecast;
