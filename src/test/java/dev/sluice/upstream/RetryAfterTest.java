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

    /** A negative or NaN hint is no hint (it used to read as "now", and a NaN retry-after-ms hid a readable retry-after). */
    @Test
    void aNegativeOrNotANumberHintIsNone() {
        assertThat(millis("retry-after", "-5")).isEqualTo(-1);
        assertThat(millis("retry-after", "NaN")).isEqualTo(-1);
        assertThat(RetryAfter.millis(MultiMap.caseInsensitiveMultiMap().add("retry-after-ms", "NaN").add("retry-after", "3")))
                .isEqualTo(3_000);
    }
}
