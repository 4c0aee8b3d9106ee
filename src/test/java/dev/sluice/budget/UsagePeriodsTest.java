package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.signin.usage.UsageDocument;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/oauth/usage} without a dollar budget shows the key's month, week and day in the budgets' time zone, so
 * they reset with the budgets' calendar periods (it used UTC days whatever the zone: a team in India saw "today"
 * start at 05:30).
 */
class UsagePeriodsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T20:00:00Z"); // Thursday 3 December, 01:30 in India

    private final List<LedgerSpend.Row> quarters = List.of(
            spend("2026-11-29T18:45:00Z", 1), // Monday 30 November 00:15 IST: this week, last month
            spend("2026-11-30T19:00:00Z", 10), // Tuesday 1 December 00:30 IST: this month and week
            spend("2026-12-02T18:00:00Z", 100), // Wednesday 23:30 IST: not today
            spend("2026-12-02T18:30:00Z", 1000)); // Thursday 00:00 IST: today

    @Test
    void theMonthWeekAndDayAreTheBudgetZones() {
        UsageDocument.Uncapped u = UsageEndpoint.periods(quarters, NOW, ZoneId.of("Asia/Kolkata"));
        assertThat(u.monthNanoUsd()).isEqualTo(1110);
        assertThat(u.weekNanoUsd()).isEqualTo(1111);
        assertThat(u.dayNanoUsd()).isEqualTo(1000);
    }

    @Test
    void inUtcTheSameSpendFallsOnUtcDays() {
        UsageDocument.Uncapped u = UsageEndpoint.periods(quarters, NOW, ZoneOffset.UTC);
        assertThat(u.monthNanoUsd()).isEqualTo(1100); // 30 November is last month in UTC
        assertThat(u.weekNanoUsd()).isEqualTo(1110); // Sunday 29 November is last week
        assertThat(u.dayNanoUsd()).isEqualTo(1100); // Wednesday 2 December all day
    }

    private static LedgerSpend.Row spend(String at, long nanoUsd) {
        return new LedgerSpend.Row("org", "key", Instant.parse(at).toEpochMilli() / LedgerSpend.QUARTER_HOUR_MS, nanoUsd, 0, 0);
    }
}
