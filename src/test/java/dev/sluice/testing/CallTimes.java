package dev.sluice.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Wall-clock and on-CPU time per call, for the benchmark mains. On a shared machine wall time includes every moment
 * the thread waited for a core; thread CPU time is the code's own cost, which is what a quiet machine's wall time
 * would be.
 */
public final class CallTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CallTimes() {
    }

    /**
     * Runs {@code op} {@code n} times to warm up, then {@code n} times measured, and prints p50 and p99 of both clocks
     * under {@code name}. Returns the sum of what {@code op} returned, for the caller to print so the JIT keeps the work.
     */
    public static long report(String name, int n, LongSupplier op) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += op.getAsLong(); // warm-up: JIT and caches
        }
        long[] wall = new long[n];
        long[] cpu = new long[n];
        for (int i = 0; i < n; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink += op.getAsLong();
            wall[i] = System.nanoTime() - t0;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf("%-48s cpu p50 %7.1f p99 %7.1f us | wall p50 %7.1f p99 %8.1f us%n", name, cpu[n / 2] / 1e3,
                cpu[(int) (n * 0.99)] / 1e3, wall[n / 2] / 1e3, wall[(int) (n * 0.99)] / 1e3);
        return sink;
    }
}
