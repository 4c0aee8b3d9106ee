package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.RouteWhenConfig;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A time-of-day window in a zone, on some days of the week; {@code to} before {@code from} wraps past midnight. */
record TimeWindow(LocalTime from, LocalTime to, ZoneId zone, Set<DayOfWeek> days) {

    static TimeWindow compile(String at, RouteWhenConfig.TimeWindow w) {
        LocalTime from = time(at + ".from", w.from(), LocalTime.MIN);
        LocalTime to = time(at + ".to", w.to(), LocalTime.MIN);
        ZoneId zone;
        try {
            zone = w.zone() == null ? ZoneId.of("UTC") : ZoneId.of(w.zone());
        } catch (DateTimeException e) {
            throw new ConfigException(at + ".zone: '" + w.zone() + "' (expected: a zone id such as UTC or Europe/Paris)");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : w.days()) {
            days.add(day(at + ".days", d));
        }
        return new TimeWindow(from, to, zone, days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : days);
    }

    /**
     * True inside the window. A window that wraps past midnight belongs to the day it starts on: Friday's 22:00–06:00
     * runs into Saturday morning, and Monday's early hours are Sunday's night. Before, the hours after midnight were
     * matched against the day they fall on, so a weekday night rule lost Friday night at midnight and took Sunday
     * night's tail on Monday (attack round 34).
     */
    boolean contains(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        DayOfWeek day = t.getDayOfWeek();
        LocalTime now = t.toLocalTime();
        if (from.equals(to)) {
            return days.contains(day); // the whole day
        }
        if (from.isBefore(to)) {
            return days.contains(day) && !now.isBefore(from) && now.isBefore(to);
        }
        return !now.isBefore(from) && days.contains(day) || now.isBefore(to) && days.contains(day.minus(1));
    }

    private static LocalTime time(String at, String text, LocalTime fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigException(at + ": '" + text + "' (expected: HH:mm, such as 09:00)");
        }
    }

    private static DayOfWeek day(String at, String d) {
        String s = d == null ? "" : d.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (s.length() >= 3 && day.name().toLowerCase(Locale.ROOT).startsWith(s)) {
                return day;
            }
        }
        throw new ConfigException(at + ": '" + d + "' (expected: mon, tue, wed, thu, fri, sat or sun)");
    }
}
