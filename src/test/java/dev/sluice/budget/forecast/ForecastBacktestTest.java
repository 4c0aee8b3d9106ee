package dev.sluice.budget.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Back-test on a synthetic year: weekdays busy, weekends quiet, 20% day-to-day noise, and spend jumping 60% on
 * July 1. Every day of every month, project that month's total from month-to-date and the 14 days before; compare
 * with what the month really used. The printed table is what docs/bench/budget.md reports.
 */
class ForecastBacktestTest {
    private static final double[] WEEKLY = {1.2, 1.25, 1.2, 1.15, 1.0, 0.35, 0.25}; // Monday first

    static Map<LocalDate, Double> syntheticYear(long seed) {
        Random rnd = new Random(seed);
        Map<LocalDate, Double> days = new HashMap<>();
        for (LocalDate d = LocalDate.of(2025, 12, 1); d.isBefore(LocalDate.of(2027, 1, 1)); d = d.plusDays(1)) {
            double base = d.isBefore(LocalDate.of(2026, 7, 1)) ? 100 : 160;
            double noise = Math.max(0.2, 1 + 0.2 * rnd.nextGaussian());
            days.put(d, base * WEEKLY[d.getDayOfWeek().ordinal()] * noise);
        }
        return days;
    }

    @Test
    void weekday_weighted_projection_tracks_a_seasonal_year_with_a_step_change() {
        Map<LocalDate, Double> days = syntheticYear(42);
        double[] errSum = new double[4];
        int[] errN = new int[4];
        int inside = 0;
        int total = 0;
        double naiveErrAt7 = 0;
        int naiveN = 0;
        double stepErr = 0;
        int stepN = 0;
        for (LocalDate first = LocalDate.of(2026, 1, 1); first.getYear() == 2026; first = first.plusMonths(1)) {
            LocalDate end = first.plusMonths(1);
            double actual = 0;
            for (LocalDate d = first; d.isBefore(end); d = d.plusDays(1)) {
                actual += days.get(d);
            }
            double mtd = 0;
            for (LocalDate today = first; today.isBefore(end); today = today.plusDays(1)) {
                // the start of the day: today not yet spent
                Forecast f = Forecaster.project(days, mtd, today, 0, end);
                double err = Math.abs(f.projected() - actual) / actual;
                int dayOfMonth = today.getDayOfMonth();
                int bucket = dayOfMonth <= 7 ? 0 : dayOfMonth <= 14 ? 1 : dayOfMonth <= 21 ? 2 : 3;
                errSum[bucket] += err;
                errN[bucket]++;
                total++;
                if (actual >= f.low() && actual <= f.high()) {
                    inside++;
                }
                if (dayOfMonth > 1) {
                    // naive linear run-rate: month-to-date / days elapsed × days in month
                    double naive = mtd / (dayOfMonth - 1) * first.lengthOfMonth();
                    naiveErrAt7 += Math.abs(naive - actual) / actual;
                    naiveN++;
                }
                if (first.getMonthValue() == 7 && dayOfMonth >= 15) {
                    stepErr += err;
                    stepN++;
                }
                mtd += days.get(today);
            }
        }
        double coverage = (double) inside / total;
        System.out.printf("forecast back-test: MAPE days 1-7 %.1f%%, 8-14 %.1f%%, 15-21 %.1f%%, 22-end %.1f%%; 90%% band coverage %.0f%%; "
                        + "all days %.1f%% vs a naive month-to-date run-rate %.1f%%; July (after the step) from day 15 %.1f%%%n",
                100 * errSum[0] / errN[0], 100 * errSum[1] / errN[1], 100 * errSum[2] / errN[2], 100 * errSum[3] / errN[3], 100 * coverage,
                100 * (errSum[0] + errSum[1] + errSum[2] + errSum[3]) / total, 100 * naiveErrAt7 / naiveN, 100 * stepErr / stepN);
        assertThat(errSum[1] / errN[1]).as("second week").isLessThan(0.12);
        assertThat(errSum[3] / errN[3]).as("last days").isLessThan(0.04);
        assertThat(coverage).as("band coverage").isBetween(0.75, 0.99);
    }

    @Test
    void weekend_dips_are_not_taken_for_a_slowdown() {
        Map<LocalDate, Double> days = new HashMap<>();
        LocalDate monday = LocalDate.of(2026, 11, 2);
        for (int i = 0; i < 21; i++) {
            LocalDate d = monday.minusDays(14).plusDays(i);
            days.put(d, d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY ? 10.0 : 100.0);
        }
        // on Monday morning, the rest of a Mon–Sun week: 5 × 100 + 2 × 10
        Forecast f = Forecaster.project(days, 0, monday, 0, monday.plusDays(7));
        assertThat(f.projected()).isCloseTo(520.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(f.trend()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f.high() - f.low()).isLessThan(1.0);
    }
}
