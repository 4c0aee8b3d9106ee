package dev.sluice.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls for state another thread produces (the simulator records after the client is answered). */
public final class Await {
    private Await() {
    }

    /** Returns the first non-null value of {@code probe} within {@code timeout}, else fails with {@code what}. */
    public static <T> T until(Duration timeout, Supplier<T> probe, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what.get());
            }
        }
    }
}
