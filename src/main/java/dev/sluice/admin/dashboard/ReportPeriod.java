package dev.sluice.admin.dashboard;

import dev.sluice.wire.ApiError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The periods the dashboard offers, as the ledger counts them: UTC calendar days (the ledger's {@code day} column is
 * a UTC date), each period starting at a UTC midnight and running to now, so its daily bars add up to its total and
 * {@code sluice report --since <date>} gives the same numbers. A fixed list: a caller cannot ask for a scan of years.
 *
 * @param name   {@code today}, {@code 7d}, {@code 30d} or {@code month} (the calendar month so far: the period of
 *               monthly budgets and caps in UTC)
 * @param since  inclusive start, a UTC midnight
 * @param hourly true when the series is per hour (today), else per day
 */
record ReportPeriod(String name, Instant since, boolean hourly) {
    static final String EXPECTED = "today, 7d, 30d or month";

    static ReportPeriod of(String name, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String n = name == null ? "7d" : name;
        LocalDate start = switch (n) {
            case "today" -> today;
            case "7d" -> today.minusDays(6);
            case "30d" -> today.minusDays(29);
            case "month" -> today.withDayOfMonth(1);
            default -> throw ApiError.invalidRequest("query parameter period: \"" + Bounds.shown(n) + "\" (expected: " + EXPECTED + ")");
        };
        return new ReportPeriod(n, start.atStartOfDay(ZoneOffset.UTC).toInstant(), n.equals("today"));
    }

    /** The CLI line that reports the same period, shown on the page so an operator can check a number. */
    String reportCommand() {
        return "sluice report --since " + LocalDate.ofInstant(since, ZoneOffset.UTC);
    }
}
