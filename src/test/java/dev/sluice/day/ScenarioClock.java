package dev.sluice.day;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The clock the agent upstream's prompt cache expires entries by. With a gap of zero it is the real clock: the
 * whole day runs in about a minute, inside one 5-minute cache lifetime, which is the best case for going direct.
 * With a gap, step {@code i} happens at its time of day: bursts start at 09:00, 13:00 and 17:00 (each commit
 * starts the next burst) and the steps of a burst follow each other {@code gap} apart; real time spent inside a
 * step is added, so the turns of one CLI run stay seconds apart.
 */
final class ScenarioClock implements LongSupplier {

    private static final long HOUR = Duration.ofHours(1).toNanos();

    private final long gapNanos;
    private final long[] stepTimes;
    private volatile long base;
    private volatile long stepStartedReal;

    ScenarioClock(Duration gap, List<Scenario.Step> steps) {
        this.gapNanos = gap.toNanos();
        this.stepTimes = new long[steps.size()];
        int burst = 0;
        int inBurst = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Scenario.Step.Commit) {
                burst++;
                inBurst = 0;
            }
            stepTimes[i] = (9 + 4L * burst) * HOUR + inBurst++ * gapNanos;
        }
    }

    /** Moves the clock to the start of step {@code i}. */
    void at(int step) {
        stepStartedReal = System.nanoTime();
        base = stepTimes[step];
    }

    /** Minutes after midnight at which step {@code i} starts ({@code -1} on the real clock). */
    long minuteOf(int step) {
        return gapNanos == 0 ? -1 : stepTimes[step] / Duration.ofMinutes(1).toNanos();
    }

    @Override
    public long getAsLong() {
        return gapNanos == 0 ? System.nanoTime() : base + (System.nanoTime() - stepStartedReal);
    }

    String describe() {
        return gapNanos == 0 ? "real clock (the whole day inside one 5-minute prompt-cache lifetime)"
                : "day clock: bursts at 09:00, 13:00, 17:00, steps " + Duration.ofNanos(gapNanos).toMinutes() + " min apart";
    }
}
