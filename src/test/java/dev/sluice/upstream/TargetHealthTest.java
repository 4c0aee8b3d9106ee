package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.HealthConfig;
import dev.sluice.upstream.TargetHealth.Outcome;
import dev.sluice.upstream.TargetHealth.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetHealthTest {
    private static final HealthConfig CFG = new HealthConfig(Duration.ofSeconds(10), 10, 0.5, 5, Duration.ofSeconds(5),
            Duration.ofSeconds(20), Duration.ofSeconds(1), null);
    private final TargetHealth h = new TargetHealth();
    private long now = 1_000_000;

    @Test
    void failingHalfOfItsRequestsOpensOnceTheWindowHoldsEnough() {
        for (int i = 0; i < 9; i++) {
            h.record(CFG, i % 2 == 0 ? Outcome.SUCCESS : Outcome.FAILURE, 50, now += 10);
        }
        assertThat(h.state(now)).as("9 attempts: below min-requests").isEqualTo(State.CLOSED);
        h.record(CFG, Outcome.FAILURE, 50, now += 10);
        assertThat(h.state(now)).as("5 of 10 failed").isEqualTo(State.OPEN);
        assertThat(h.allows(now)).isFalse();
    }

    @Test
    void aFewFailuresAmongManySuccessesDoNotOpen() {
        for (int i = 0; i < 40; i++) {
            h.record(CFG, i % 4 == 0 ? Outcome.FAILURE : Outcome.SUCCESS, 50, now += 10);
        }
        assertThat(h.state(now)).isEqualTo(State.CLOSED);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 4; i++) {
            h.record(CFG, Outcome.FAILURE, -1, now += 10);
        }
        now += 11_000;
        for (int i = 0; i < 6; i++) {
            h.record(CFG, i == 0 ? Outcome.FAILURE : Outcome.SUCCESS, 50, now += 10);
        }
        // 5 failures and 5 successes were recorded in all, but only 1 of 6 is inside the window.
        assertThat(h.state(now)).isEqualTo(State.CLOSED);
        assertThat(h.view(CFG, now).windowAttempts()).isEqualTo(6);
    }

    @Test
    void consecutiveFailuresOpenAtOnceThenOneProbePerIntervalAndASuccessCloses() {
        for (int i = 0; i < 5; i++) {
            h.record(CFG, Outcome.FAILURE, -1, now);
        }
        assertThat(h.state(now)).isEqualTo(State.OPEN);
        now += 5_000;
        assertThat(h.state(now)).isEqualTo(State.HALF_OPEN);
        assertThat(h.acquire(CFG, now)).as("the probe").isTrue();
        assertThat(h.acquire(CFG, now + 10)).as("one probe per interval").isFalse();
        assertThat(h.acquire(CFG, now + 1_000)).isTrue();
        h.record(CFG, Outcome.SUCCESS, 40, now + 1_100);
        assertThat(h.state(now + 1_100)).isEqualTo(State.CLOSED);
    }

    @Test
    void aFailedProbeReopensForTwiceAsLongUpToTheMaximum() {
        for (int i = 0; i < 5; i++) {
            h.record(CFG, Outcome.FAILURE, -1, now);
        }
        long open = 5_000;
        for (int round = 0; round < 4; round++) {
            now += open;
            assertThat(h.acquire(CFG, now)).isTrue();
            h.record(CFG, Outcome.FAILURE, -1, now);
            open = Math.min(20_000, open * 2);
            assertThat(h.view(CFG, now).openMillisLeft()).isEqualTo(open);
        }
    }

    @Test
    void neutralOutcomesAreNotCountedAndAHealthyActiveCheckHastensTheProbe() {
        for (int i = 0; i < 50; i++) {
            h.record(CFG, Outcome.NEUTRAL, -1, now);
        }
        assertThat(h.view(CFG, now).windowAttempts()).isZero();
        for (int i = 0; i < 5; i++) {
            h.checked(CFG, false, now);
        }
        assertThat(h.state(now)).isEqualTo(State.OPEN);
        h.checked(CFG, true, now + 100);
        assertThat(h.state(now + 100)).isEqualTo(State.HALF_OPEN);
        assertThat(h.acquire(CFG, now + 100)).isTrue();
    }
}
