package dev.sluice.respond;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** x-sluice-latency-ms reads exactly as it did when String.format wrote it. */
class RepliesTest {
    @Test
    void latencyIsWrittenAsTheThreeDecimalFormatWritesIt() {
        Random random = new Random(6);
        for (int i = 0; i < 200_000; i++) {
            // What callers pass: whole nanoseconds over a million, from a few microseconds to minutes; every
            // tenth one a tie at the half microsecond, where the rounding shows.
            long nanos = random.nextLong(random.nextBoolean() ? 100_000 : 600_000_000_000L);
            if (i % 10 == 0) {
                nanos = nanos / 1000 * 1000 + 500;
            }
            double ms = nanos / 1e6;
            assertThat(Replies.millis(ms)).as("%d ns", nanos).isEqualTo(String.format(Locale.ROOT, "%.3f", ms));
        }
        for (double ms : new double[] {0, 0.0005, 0.0004, 0.9995, 1.0005, 999.9995, -1.5, 1e12}) {
            assertThat(Replies.millis(ms)).as("%s ms", ms).isEqualTo(String.format(Locale.ROOT, "%.3f", ms));
        }
    }
}
