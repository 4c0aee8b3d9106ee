package dev.sluice.day;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The day clock puts bursts at 09:00, 13:00 and 17:00 and steps a gap apart; a zero gap is the real clock. */
class ScenarioClockTest {

    @Test
    void burstsStartAtTheirHourAndStepsFollowTheGap() {
        List<Scenario.Step> steps = Scenario.steps();
        ScenarioClock clock = new ScenarioClock(Duration.ofMinutes(3), steps);
        assertThat(clock.minuteOf(0)).isEqualTo(9 * 60);
        assertThat(clock.minuteOf(10)).isEqualTo(9 * 60 + 30);
        int firstCommit = steps.indexOf(steps.stream().filter(s -> s instanceof Scenario.Step.Commit).findFirst().orElseThrow());
        assertThat(clock.minuteOf(firstCommit)).isEqualTo(13 * 60);
        assertThat(clock.minuteOf(firstCommit + 1)).isEqualTo(13 * 60 + 3);
        clock.at(firstCommit + 1);
        assertThat(clock.getAsLong()).isBetween(Duration.ofMinutes(13 * 60 + 3).toNanos(), Duration.ofMinutes(13 * 60 + 4).toNanos());
    }

    @Test
    void zeroGapIsTheRealClock() {
        ScenarioClock clock = new ScenarioClock(Duration.ZERO, Scenario.steps());
        clock.at(5);
        long before = System.nanoTime();
        assertThat(clock.getAsLong()).isBetween(before, System.nanoTime());
        assertThat(clock.minuteOf(5)).isEqualTo(-1);
    }
}
