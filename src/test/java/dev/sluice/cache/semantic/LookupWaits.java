package dev.sluice.cache.semantic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Per timed lookup, where its wall time went, from the scheduler's per-thread counters ({@link SchedStat}): what the
 * matcher's lookup threads ({@code sluice-semantic-*}) and the embedder's worker ran, and how long they and the calling
 * thread waited in the run queue. The kernel adds a wait when the thread gets a CPU back, so a wait that began before
 * the lookup (a lookup thread preempted after completing the previous one) is counted in the next: per lookup the
 * columns are approximate and may add up to more than the wall time; over many lookups they are exact.
 */
final class LookupWaits {
    private LookupWaits() {
    }

    /** {worker ran, worker waited, caller ran, caller waited} now. */
    static long[] now() {
        long[] out = new long[4];
        for (Path p : workers()) {
            long[] s = SchedStat.read(p);
            out[0] += s[0];
            out[1] += s[1];
        }
        long[] self = SchedStat.self();
        out[2] = self[0];
        out[3] = self[1];
        return out;
    }

    /** The deltas since {@code before}, with the wall time last. */
    static long[] since(long[] before, long wallNs) {
        long[] now = now();
        return new long[] {now[0] - before[0], now[1] - before[1], now[2] - before[2], now[3] - before[3], wallNs};
    }

    static String slowest(long[][] waits, int count) {
        long[][] s = waits.clone();
        Arrays.sort(s, (a, b) -> Long.compare(b[4], a[4]));
        long[] medians = new long[4];
        for (int k = 0; k < 4; k++) {
            final int q = k;
            medians[k] = Arrays.stream(waits).mapToLong(w -> w[q]).sorted().toArray()[waits.length / 2];
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "  median: lookup threads ran %s, waited %s; caller ran %s, waited %s%n  slowest (wall: lookup threads ran"
                        + " / waited, caller ran / waited):", ms(medians[0]), ms(medians[1]), ms(medians[2]), ms(medians[3])));
        for (int i = 0; i < Math.min(count, s.length); i++) {
            long[] w = s[i];
            b.append(String.format(Locale.ROOT, " %s: %s / %s, %s / %s;", ms(w[4]), ms(w[0]), ms(w[1]), ms(w[2]), ms(w[3])));
        }
        return b.toString();
    }

    private static List<Path> cached;

    /** The lookup pool's and the embedder's threads (found once; they live as long as the matcher). */
    private static List<Path> workers() {
        if (cached == null) {
            List<Path> out = new ArrayList<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : tasks.toList()) {
                    String name = Files.readString(t.resolve("comm")).strip();
                    if (name.startsWith("sluice-semantic") || name.startsWith("sluice-embed")) {
                        out.add(t.resolve("schedstat"));
                    }
                }
            } catch (IOException e) {
                return List.of();
            }
            if (out.isEmpty()) {
                return out; // not started yet: look again next time
            }
            cached = out;
        }
        return cached;
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.2f", ns / 1e6);
    }
}
