package dev.sluice.signin.telemetry;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one collector, shared by every event loop: after {@code threshold} failures
 * in a row it opens and refuses relays for {@code cooldownMillis}; then it lets exactly one trial
 * through (half-open), which closes it on success or opens it for another cooldown on failure.
 * Lock-free: one immutable state swapped by compare-and-set.
 */
final class Breaker {
    enum Mode { CLOSED, OPEN, HALF_OPEN }

    private record State(Mode mode, int failures, long openUntil) {
    }

    private final int threshold;
    private final long cooldownMillis;
    private final LongSupplier clock;
    private final AtomicReference<State> state = new AtomicReference<>(new State(Mode.CLOSED, 0, 0));

    Breaker(int threshold, long cooldownMillis, LongSupplier clock) {
        this.threshold = threshold;
        this.cooldownMillis = cooldownMillis;
        this.clock = clock;
    }

    /** True when a relay may go now; in half-open, true for the one caller that takes the trial. */
    boolean allow() {
        while (true) {
            State s = state.get();
            switch (s.mode) {
                case CLOSED -> {
                    return true;
                }
                case HALF_OPEN -> {
                    return false; // a trial is already out
                }
                case OPEN -> {
                    if (clock.getAsLong() < s.openUntil) {
                        return false;
                    }
                    if (state.compareAndSet(s, new State(Mode.HALF_OPEN, s.failures, s.openUntil))) {
                        return true;
                    }
                }
            }
        }
    }

    void success() {
        state.set(new State(Mode.CLOSED, 0, 0));
    }

    void failure() {
        while (true) {
            State s = state.get();
            int failures = s.failures + 1;
            State next = s.mode == Mode.HALF_OPEN || failures >= threshold
                    ? new State(Mode.OPEN, failures, clock.getAsLong() + cooldownMillis)
                    : new State(Mode.CLOSED, failures, 0);
            if (state.compareAndSet(s, next)) {
                return;
            }
        }
    }

    Mode mode() {
        return state.get().mode;
    }
}
