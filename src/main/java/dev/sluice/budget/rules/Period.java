package dev.sluice.budget.rules;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;

/**
 * The time a budget's spend is counted over: a calendar day, week (Monday first) or month in the budget's
 * time zone, or a rolling window that forgets spend older than its length.
 */
public sealed interface Period {

    /** The span containing {@code now}. For a rolling window, the window that ends now. */
    Window window(Instant now);

    /** "daily", "weekly", "monthly" or "rolling 7d", as Claude Code's {@code -overage-period} and messages use it. */
    String label();

    /** The span a counter is kept for. {@code id} names it in counter keys, so a new period starts a new counter. */
    record Window(Instant start, Instant end, String id) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    enum Unit { DAY, WEEK, MONTH }

    /** A calendar period in a time zone. */
    record Calendar(Unit unit, ZoneId zone) implements Period {
        @Override
        public Window window(Instant now) {
            ZonedDateTime t = now.atZone(zone);
            LocalDate d = t.toLocalDate();
            return switch (unit) {
                case DAY -> new Window(d.atStartOfDay(zone).toInstant(), d.plusDays(1).atStartOfDay(zone).toInstant(), d.toString());
                case WEEK -> {
                    LocalDate monday = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    yield new Window(monday.atStartOfDay(zone).toInstant(), monday.plusWeeks(1).atStartOfDay(zone).toInstant(),
                            monday.get(IsoFields.WEEK_BASED_YEAR) + "-W" + monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                }
                case MONTH -> {
                    LocalDate first = d.withDayOfMonth(1);
                    yield new Window(first.atStartOfDay(zone).toInstant(), first.plusMonths(1).atStartOfDay(zone).toInstant(),
                            first.toString().substring(0, 7));
                }
            };
        }

        @Override
        public String label() {
            return switch (unit) {
                case DAY -> "daily";
                case WEEK -> "weekly";
                case MONTH -> "monthly";
            };
        }
    }

    /**
     * A window that slides: spend is kept in {@link #buckets()} buckets of {@link #bucketMillis()} each, and a
     * bucket leaves the count as a whole once it is older than the window. So a spend is forgotten between
     * {@code length − bucket} and {@code length} after it was made; with 168 buckets over 7 days that is within
     * the hour.
     */
    record Rolling(Duration length) implements Period {
        public static final int BUCKETS = 168;

        public long bucketMillis() {
            return Math.max(60_000, length.toMillis() / BUCKETS);
        }

        public int buckets() {
            return (int) Math.max(1, length.toMillis() / bucketMillis());
        }

        @Override
        public Window window(Instant now) {
            long b = bucketMillis();
            long current = Math.floorDiv(now.toEpochMilli(), b);
            Instant start = Instant.ofEpochMilli((current - buckets() + 1) * b);
            return new Window(start, Instant.ofEpochMilli((current + 1) * b), "r" + length.toMinutes() + "m");
        }

        @Override
        public String label() {
            long days = length.toDays();
            long hours = length.toHours();
            // 90 minutes read "rolling 1h" (attack round 34): minutes when the length is no whole number of hours
            return "rolling " + (days * 86_400_000L == length.toMillis() ? days + "d"
                    : hours * 3_600_000L == length.toMillis() ? hours + "h" : length.toMinutes() + "m");
        }
    }
}
