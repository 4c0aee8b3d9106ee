package dev.sluice.upstream;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an upstream's retry hint: {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date. */
final class RetryAfter {
    /**
     * The longest hint taken: a key rests at most this long on one answer's word. An upstream (or a proxy in front of
     * it) saying a year would otherwise bench the key until a restart; after this the key is tried again, and a
     * second 429 rests it again.
     */
    static final long MAX_MILLIS = 10 * 60 * 1000;

    private RetryAfter() {
    }

    /** Milliseconds to wait (at most {@link #MAX_MILLIS}), or -1 when the response gives no (readable) hint. */
    static long millis(MultiMap headers) {
        long ms = read(headers);
        return ms < 0 ? ms : Math.min(ms, MAX_MILLIS);
    }

    private static long read(MultiMap headers) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return Math.max(0, (long) Double.parseDouble(ms.trim()));
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        String s = headers.get("retry-after");
        if (s == null) {
            return -1;
        }
        try {
            return Math.max(0, (long) (Double.parseDouble(s.trim()) * 1000));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }
}
