package dev.sluice.budget.forecast;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;

/** Weekday-weighted projection of a period's total from daily history. Pure arithmetic; safe on any thread. */
public final class Forecaster {
    public static final int WINDOW_DAYS = 14;
    /** Days of history a caller reads: the window and as many before it, which say whether the history is older than it. */
    public static final int HISTORY_DAYS = 2 * WINDOW_DAYS;
    private static final double Z90 = 1.645;

    private Forecaster() {
    }

    /**
     * @param daily           amount per day (days without an entry count as zero); days before {@code today} are used, and
     *                        an entry before the window says the history is older than it ({@link #HISTORY_DAYS})
     * @param spentSoFar      what the period has used up to now, today included
     * @param today           the current day (in the budget's zone)
     * @param todayElapsed    fraction of today already gone, 0..1
     * @param periodEnd       the first day after the period
     */
    public static Forecast project(Map<LocalDate, ? extends Number> daily, double spentSoFar, LocalDate today, double todayElapsed,
                                   LocalDate periodEnd) {
        if (!today.isBefore(periodEnd)) {
            // A period already over: a request admitted in it and settled after its end (a stream across midnight)
            // crosses its thresholds the next day. Its total is what it spent; projecting the rest of "today" added a
            // day of the next period to it (attack round 34).
            return new Forecast(spentSoFar, spentSoFar, spentSoFar, Double.NaN, 0);
        }
        double[] window = new double[WINDOW_DAYS];
        int days = 0;
        for (int i = 0; i < WINDOW_DAYS; i++) {
            LocalDate d = today.minusDays(WINDOW_DAYS - i);
            Number v = daily.get(d);
            window[i] = v == null ? 0 : v.doubleValue();
            if (v != null) {
                days = Math.max(days, WINDOW_DAYS - i);
            }
        }
        LocalDate windowStart = today.minusDays(WINDOW_DAYS);
        boolean older = daily.keySet().stream().anyMatch(d -> d.isBefore(windowStart));
        if (days > 0 && days < WINDOW_DAYS && !older) {
            return young(window, days, spentSoFar, today, todayElapsed, periodEnd);
        }
        if (days == 0 && !older && spentSoFar > 0 && todayElapsed > 0) {
            return firstDay(spentSoFar, today, todayElapsed, periodEnd);
        }
        double level = mean(window);
        double[] factor = weekdayFactors(window, today, level);
        double resid2 = 0;
        for (int i = 0; i < WINDOW_DAYS; i++) {
            double r = window[i] - level * factor[today.minusDays(WINDOW_DAYS - i).getDayOfWeek().ordinal()];
            resid2 += r * r;
        }
        // 14 days fit a level and 7 weekday factors: 7 degrees of freedom remain for the noise
        double sigma = Math.sqrt(resid2 / (WINDOW_DAYS - 7));
        return projection(level, factor, sigma, WINDOW_DAYS, spentSoFar, today, todayElapsed, periodEnd, trend(window), days);
    }

    /**
     * A history shorter than the window (a new gateway, budget or developer): the level is the mean of the days since the
     * first with data, every weekday alike. The days before it are not days of zero spend but days nobody was counted,
     * and the weekday factors of one or two samples each projected a whole month onto the weekdays seen: one Monday of
     * $0.24 forecast December at $0.48 (its four Mondays) for a developer spending $0.24 a day (round 23). Without two
     * days the noise is taken as large as the level.
     */
    private static Forecast young(double[] window, int days, double spentSoFar, LocalDate today, double todayElapsed,
                                  LocalDate periodEnd) {
        double sum = 0;
        for (int i = WINDOW_DAYS - days; i < WINDOW_DAYS; i++) {
            sum += window[i];
        }
        double level = sum / days;
        double resid2 = 0;
        for (int i = WINDOW_DAYS - days; i < WINDOW_DAYS; i++) {
            resid2 += (window[i] - level) * (window[i] - level);
        }
        double sigma = days < 2 ? level : Math.sqrt(resid2 / (days - 1));
        double[] flat = {1, 1, 1, 1, 1, 1, 1};
        return projection(level, flat, sigma, days, spentSoFar, today, todayElapsed, periodEnd, Double.NaN, days);
    }

    /**
     * No day of history before today: what the period spent so far was spent today, and today's rate (over at least its
     * first hour) is all there is to go on. Before, the projection was what was spent so far, with a band of zero width
     * at 90%: a gateway's first day said its month would end where it stood at 9 a.m. (round 23).
     */
    private static Forecast firstDay(double spentSoFar, LocalDate today, double todayElapsed, LocalDate periodEnd) {
        double level = spentSoFar / Math.max(todayElapsed, 1.0 / 24);
        double[] flat = {1, 1, 1, 1, 1, 1, 1};
        return projection(level, flat, level, 1, spentSoFar, today, todayElapsed, periodEnd, Double.NaN, 0);
    }

    private static Forecast projection(double level, double[] factor, double sigma, int fitted, double spentSoFar, LocalDate today,
                                       double todayElapsed, LocalDate periodEnd, double trend, int days) {
        double remaining = Math.max(0, 1 - todayElapsed) * level * factor[today.getDayOfWeek().ordinal()];
        double remainingDays = Math.max(0, 1 - todayElapsed);
        for (LocalDate d = today.plusDays(1); d.isBefore(periodEnd); d = d.plusDays(1)) {
            remaining += level * factor[d.getDayOfWeek().ordinal()];
            remainingDays += 1;
        }
        // independent daily noise, plus the level's own error, which repeats on every remaining day
        double half = Z90 * Math.sqrt(sigma * sigma * remainingDays + Math.pow(sigma * remainingDays, 2) / fitted);
        double projected = spentSoFar + remaining;
        return new Forecast(projected, Math.max(spentSoFar, projected - half), projected + half, trend, days);
    }

    /** Each weekday's mean over the window's mean; 1 where the window has nothing to say. */
    static double[] weekdayFactors(double[] window, LocalDate today, double level) {
        double[] sum = new double[7];
        int[] n = new int[7];
        for (int i = 0; i < window.length; i++) {
            int wd = today.minusDays(window.length - i).getDayOfWeek().ordinal();
            sum[wd] += window[i];
            n[wd]++;
        }
        double[] f = new double[7];
        for (DayOfWeek d : DayOfWeek.values()) {
            int i = d.ordinal();
            f[i] = level <= 0 || n[i] == 0 ? 1 : (sum[i] / n[i]) / level;
        }
        return f;
    }

    private static double trend(double[] window) {
        double last = 0;
        double before = 0;
        for (int i = 0; i < 7; i++) {
            before += window[i];
            last += window[i + 7];
        }
        return before <= 0 ? Double.NaN : last / before - 1;
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }
}
