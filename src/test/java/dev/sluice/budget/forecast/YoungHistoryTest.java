package dev.sluice.budget.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A history shorter than the forecast's 14-day window (a new gateway, budget or developer) is projected from the days
 * it has, every weekday alike (round 23). Before, the days before it counted as days of zero spend and the weekday
 * factors of a single Monday put the whole month's spend on its Mondays.
 */
class YoungHistoryTest {
    private static final LocalDate TUESDAY = LocalDate.of(2026, 12, 1);

    @Test
    void one_day_of_history_projects_that_day_on_every_day_left() {
        Map<LocalDate, Long> daily = Map.of(TUESDAY.minusDays(1), 240_000_000L); // $0.24 yesterday, a Monday
        Forecast f = Forecaster.project(daily, 0, TUESDAY, 0, TUESDAY.plusMonths(1));
        // December has 31 days at $0.24 each; the old projection was $0.48: half a Monday (the window held two) on each of
        // its four Mondays, nothing on the other days
        assertThat(f.projected()).isCloseTo(31 * 240_000_000.0, within(1.0));
        assertThat(f.daysOfData()).isEqualTo(1);
        assertThat(f.low()).isLessThan(f.projected());
        assertThat(f.high()).isGreaterThan(f.projected());
    }

    @Test
    void a_few_days_give_their_mean_and_their_spread() {
        Map<LocalDate, Long> daily = Map.of(TUESDAY.minusDays(3), 100L, TUESDAY.minusDays(2), 300L, TUESDAY.minusDays(1), 200L);
        Forecast f = Forecaster.project(daily, 50, TUESDAY, 0.5, TUESDAY.plusDays(2));
        // half of today and tomorrow at the mean of 200: 50 spent + 100 + 200
        assertThat(f.projected()).isCloseTo(350, within(1e-9));
        assertThat(f.daysOfData()).isEqualTo(3);
        assertThat(f.high() - f.projected()).isGreaterThan(0);
    }

    @Test
    void a_first_day_projects_its_rate_not_what_it_spent_so_far() {
        // $3 by 06:00 of a gateway's first day, a period of today and tomorrow: $12 a day, so $3 + $9 + $12. Before, the
        // projection was the $3 spent, with a band of zero width.
        Forecast f = Forecaster.project(Map.of(), 3.0, TUESDAY, 0.25, TUESDAY.plusDays(2));
        assertThat(f.projected()).isCloseTo(24.0, within(1e-9));
        assertThat(f.daysOfData()).isZero();
        assertThat(f.low()).isGreaterThanOrEqualTo(3.0).isLessThan(f.projected());
        assertThat(f.high()).isGreaterThan(f.projected());
        // nothing spent, or the day not begun: nothing to go on
        assertThat(Forecaster.project(Map.of(), 0, TUESDAY, 0.5, TUESDAY.plusDays(2)).projected()).isZero();
        assertThat(Forecaster.project(Map.of(), 0, TUESDAY, 0, TUESDAY.plusDays(2)).high()).isZero();
    }

    @Test
    void a_history_older_than_the_window_keeps_the_weekday_projection_when_the_windows_first_days_are_empty() {
        Map<LocalDate, Long> daily = new HashMap<>();
        for (int ago = 1; ago <= 12; ago++) {
            LocalDate d = TUESDAY.minusDays(ago);
            if (d.getDayOfWeek().getValue() <= 5) {
                daily.put(d, 1000L);
            }
        }
        Map<LocalDate, Long> withZeros = new HashMap<>(daily);
        withZeros.put(TUESDAY.minusDays(14), 0L);
        daily.put(TUESDAY.minusDays(20), 1000L); // spent before the window: the empty days in it were zero-spend days
        Forecast f = Forecaster.project(daily, 0, TUESDAY, 0, TUESDAY.plusDays(7));
        Forecast full = Forecaster.project(withZeros, 0, TUESDAY, 0, TUESDAY.plusDays(7));
        assertThat(f.projected()).isCloseTo(full.projected(), within(1e-9));
        assertThat(f.high()).isCloseTo(full.high(), within(1e-9));
    }
}
