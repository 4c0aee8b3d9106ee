package dev.sluice.cache.semantic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Linux scheduler statistics for the benchmarks: per thread, the time it ran on a CPU and the time it was runnable but
 * waiting for one (run-queue delay), from {@code /proc/.../schedstat} in nanoseconds. A slow lookup whose thread
 * waited in the run queue lost its time to other runnable threads (this process's or the host's); one that neither
 * ran nor waited was blocked (a lock, a hand-off not yet signalled). Zeros where the kernel does not report them.
 */
public final class SchedStat {
    private static final Path SELF = Path.of("/proc/thread-self/schedstat");

    private SchedStat() {
    }

    /** This thread's {ran ns, waited-for-a-CPU ns} since it started. */
    static long[] self() {
        return read(SELF);
    }

    /**
     * Every thread of this process, ran and waited summed per name group (trailing digits and "#n" dropped, so the
     * JIT's compiler threads, the GC's workers and a pool's threads each add up to one line).
     */
    static Map<String, long[]> threads() {
        return threads(Path.of("/proc/self/task"));
    }

    /** As {@link #threads()}, for the threads of process {@code pid} (a gateway in a JVM of its own). */
    public static Map<String, long[]> threads(long pid) {
        return threads(Path.of("/proc", Long.toString(pid), "task"));
    }

    private static Map<String, long[]> threads(Path taskDir) {
        Map<String, long[]> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(taskDir)) {
            for (Path t : tasks.toList()) {
                String name;
                try {
                    name = Files.readString(t.resolve("comm")).strip().replaceAll("[#\\-]?\\d+$", "");
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                long[] s = read(t.resolve("schedstat"));
                long[] sum = out.computeIfAbsent(name, k -> new long[2]);
                sum[0] += s[0];
                sum[1] += s[1];
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** What each thread group ran and waited between two {@link #threads()} snapshots, per operation, largest first. */
    public static String diff(Map<String, long[]> before, Map<String, long[]> after, int operations) {
        List<String[]> rows = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        after.forEach((name, a) -> {
            long[] b = before.getOrDefault(name, new long[2]);
            long ran = a[0] - b[0];
            long waited = a[1] - b[1];
            if (ran > 0 || waited > 0) {
                rows.add(new String[] {name, fmt(ran / operations), fmt(waited / operations)});
                keys.add(ran);
            }
        });
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(keys.get(y), keys.get(x)));
        StringBuilder s = new StringBuilder("  threads, ran / waited for a CPU, per operation:");
        for (int i = 0; i < Math.min(order.length, 8); i++) {
            String[] r = rows.get(order[i]);
            s.append(String.format(Locale.ROOT, " %s %s / %s;", r[0], r[1], r[2]));
        }
        return s.toString();
    }

    /** Run and wait nanoseconds from one {@code schedstat} file; zeros when it cannot be read. */
    static long[] read(Path p) {
        try {
            String[] f = Files.readString(p).strip().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    private static String fmt(long ns) {
        return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
    }
}
