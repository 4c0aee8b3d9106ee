package dev.sluice.upstream;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Reads an upstream's retry hint: {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date. */
final class RetryAfter {
    /**
     * The longest hint taken: a key rests at most this long on one answer's word. An upstream (or a proxy in front of
     * it) saying a year would otherwise bench the key until a restart; after this the key is tried again, and a
     * second 429 rests it again.
     */
    static final long MAX_MILLIS = 10 * 60 * 1000;

    private static final String MS = "retry-after-ms";
    private static final String SECONDS = "retry-after";

    private RetryAfter() {
    }

    /** Milliseconds to wait (at most {@link #MAX_MILLIS}), or -1 when the response gives no (readable) hint. */
    static long millis(MultiMap headers) {
        double ms = read(headers);
        return Double.isNaN(ms) ? -1 : (long) Math.min(ms, MAX_MILLIS);
    }

    /**
     * Rewrites the retry hint of headers relayed to a client as the gateway reads it ({@link #millis}, so never longer
     * than it rests the key itself), in the client's format: whole seconds, rounded up, and {@code retry-after-ms} in
     * milliseconds where the upstream sent that one. A hint that is no finite, non-negative number or date
     * ({@code NaN}, {@code Infinity}, {@code -5}, junk) is dropped rather than relayed: a client may sleep for
     * whatever it is told.
     */
    static void relay(MultiMap headers) {
        boolean seconds = headers.contains(SECONDS);
        boolean ms = headers.contains(MS);
        if (!seconds && !ms) {
            return;
        }
        double hint = read(headers);
        headers.remove(SECONDS);
        headers.remove(MS);
        if (Double.isNaN(hint) || Double.isInfinite(hint)) {
            return;
        }
        long clamped = (long) Math.min(hint, MAX_MILLIS);
        if (seconds) {
            headers.set(SECONDS, Long.toString((clamped + 999) / 1000));
        }
        if (ms) {
            headers.set(MS, Long.toString(clamped));
        }
    }

    /** The hint in milliseconds (unclamped, possibly infinite), or NaN when neither header is readable. */
    private static double read(MultiMap headers) {
        double ms = value(headers.get(MS), 1, false);
        return Double.isNaN(ms) ? value(headers.get(SECONDS), 1000, true) : ms;
    }

    /**
     * An HTTP date in any of the three forms RFC 9110 (5.6.7) has recipients accept: IMF-fixdate, and the obsolete
     * RFC 850 and asctime forms, which older servers and proxies still send; null when it is none of them. An obsolete
     * date was read as no hint, and the key went back into traffic at once (attack round 34).
     */
    static ZonedDateTime date(String s) {
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException notImf) {
            // an obsolete form, then
        }
        try {
            return LocalDateTime.parse(s, rfc850()).atZone(ZoneOffset.UTC);
        } catch (DateTimeParseException notRfc850) {
            // asctime, then
        }
        try {
            return LocalDateTime.parse(s.replaceAll("\\s+", " "), ASCTIME).atZone(ZoneOffset.UTC);
        } catch (DateTimeParseException notAsctime) {
            return null;
        }
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}: a two-digit year more than 50 years ahead is in the past century. */
    private static DateTimeFormatter rfc850() {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(49))
                .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ENGLISH);
    }

    /** {@code Sun Nov  6 08:49:37 1994}, spaces folded to one first. */
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEE MMM d HH:mm:ss yyyy").toFormatter(Locale.ENGLISH);

    /** One header's value in milliseconds: a non-negative number of {@code unit}s, or an HTTP date; else NaN. */
    private static double value(String text, double unitMillis, boolean dates) {
        if (text == null) {
            return Double.NaN;
        }
        String s = text.trim();
        try {
            double d = Double.parseDouble(s);
            return d >= 0 ? d * unitMillis : Double.NaN; // NaN and negatives fail the test
        } catch (NumberFormatException e) {
            if (!dates) {
                return Double.NaN;
            }
            ZonedDateTime at = date(s);
            if (at == null) {
                return Double.NaN;
            }
            try {
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (ArithmeticException tooFar) {
                return Double.NaN;
            }
        }
    }
}
