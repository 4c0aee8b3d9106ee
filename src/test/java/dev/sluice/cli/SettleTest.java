package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** The watch applies a file once it has stopped changing; a file cut mid-line has to stay so for much longer. */
class SettleTest {
    private long now;

    /** Reads what {@code at} says the file holds at the fake clock's time. */
    private String settle(LongFunction<String> at) throws InterruptedException {
        now = 0;
        return Settle.read(() -> at.apply(now), millis -> now += millis);
    }

    @Test
    void aFileStillGrowingIsReadOnceItStops() throws InterruptedException {
        // Whole lines every 300 ms (shorter than the quiet period), the last one at 600 ms.
        String text = settle(t -> t < 300 ? "routes: []\n" : t < 600 ? "routes: []\nbudgets: {}\n"
                : "routes: []\nbudgets: {}\nguard: {enabled: true}\n");
        assertThat(text).isEqualTo("routes: []\nbudgets: {}\nguard: {enabled: true}\n");
        assertThat(now).isGreaterThanOrEqualTo(600 + Settle.QUIET_MILLIS);
    }

    @Test
    void aFileCutMidLineWaitsForTheRestThroughALongPause() throws InterruptedException {
        // The writer stops after "enabled:" for 3 s (a half file that parses as the guard off), then finishes.
        String text = settle(t -> t < 3_000 ? "guard:\n  enabled:" : "guard:\n  enabled: true\n");
        assertThat(text).isEqualTo("guard:\n  enabled: true\n");
    }

    @Test
    void aFileWithoutAFinalNewlineStillAppliesLater() throws InterruptedException {
        assertThat(settle(t -> "routes: []")).isEqualTo("routes: []");
        assertThat(now).isGreaterThanOrEqualTo(Settle.QUIET_UNTERMINATED_MILLIS);
    }

    @Test
    void aFileThatNeverSettlesIsNotRead() throws InterruptedException {
        assertThat(settle(t -> "n: " + t + "\n")).isNull();
        assertThat(settle(t -> null)).isNull();
    }
}
