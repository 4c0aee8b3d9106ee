package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** An upstream's retry hint, read in each of its forms, and never taken for longer than ten minutes. */
class RetryAfterTest {
    private static long millis(String name, String value) {
        return RetryAfter.millis(MultiMap.caseInsensitiveMultiMap().add(name, value));
    }

    @Test
    void eachFormIsRead() {
        assertThat(millis("retry-after", "2")).isEqualTo(2_000);
        assertThat(millis("retry-after", "0.5")).isEqualTo(500);
        assertThat(millis("retry-after-ms", "250")).isEqualTo(250);
        assertThat(millis("retry-after", "soon")).isEqualTo(-1);
        assertThat(RetryAfter.millis(MultiMap.caseInsensitiveMultiMap())).isEqualTo(-1);
    }

    /** A year (as attack round 8 sent) benched the key until a restart; now it rests ten minutes, then is tried again. */
    @Test
    void aHintOfAYearIsHeldToTenMinutes() {
        assertThat(millis("retry-after", "31536000")).isEqualTo(RetryAfter.MAX_MILLIS);
        assertThat(millis("retry-after-ms", "1e300")).isEqualTo(RetryAfter.MAX_MILLIS);
        assertThat(millis("retry-after", "Infinity")).isEqualTo(RetryAfter.MAX_MILLIS);
        assertThat(millis("retry-after", "Fri, 31 Dec 2100 23:59:59 GMT")).isEqualTo(RetryAfter.MAX_MILLIS);
        assertThat(millis("retry-after", "600")).isEqualTo(600_000);
    }

    /** Attack round 34: the obsolete HTTP-date forms RFC 9110 has recipients accept were read as no hint. */
    @Test
    void theObsoleteDateFormsAreReadToo() {
        java.time.ZonedDateTime in30 = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30).withNano(0);
        String rfc850 = in30.format(java.time.format.DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH));
        String asctime = in30.format(java.time.format.DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.ENGLISH));
        assertThat(millis("retry-after", rfc850)).as(rfc850).isBetween(25_000L, 30_000L);
        assertThat(millis("retry-after", asctime)).as(asctime).isBetween(25_000L, 30_000L);
        assertThat(RetryAfter.date("Sunday, 06-Nov-94 08:49:37 GMT").getYear()).as("a two-digit year of the past century").isEqualTo(1994);
        assertThat(RetryAfter.date("Sun Nov  6 08:49:37 1994").getDayOfMonth()).isEqualTo(6);
        assertThat(millis("retry-after", "Sunday, 06-Nov-94 08:49:37 GMT")).as("a date gone by: now").isZero();
        assertThat(millis("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")).isZero();
        assertThat(millis("retry-after", "06-Nov-94")).isEqualTo(-1);
    }

    /** A negative or NaN hint is no hint (it used to read as "now", and a NaN retry-after-ms hid a readable retry-after). */
    @Test
    void aNegativeOrNotANumberHintIsNone() {
        assertThat(millis("retry-after", "-5")).isEqualTo(-1);
        assertThat(millis("retry-after", "NaN")).isEqualTo(-1);
        assertThat(RetryAfter.millis(MultiMap.caseInsensitiveMultiMap().add("retry-after-ms", "NaN").add("retry-after", "3")))
                .isEqualTo(3_000);
    }
}
