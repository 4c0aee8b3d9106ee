package dev.sluice.guard.engine;

import dev.sluice.guard.GuardBenchmark;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardRules;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The phases of a whole-body scan timed one by one on {@link GuardBenchmark}'s 700 KB request: the walk that
 * finds, copies and decodes the strings; the keyword automaton over them; the detectors (at the default policy,
 * and with every personal-data rule on). CPU time of this thread, p50 and p99. Not a test; run it by hand from
 * the repository root, like {@link GuardBenchmark}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.guard.engine.GuardPhases 2000
 * </pre>
 */
public final class GuardPhases {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GuardPhases() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        byte[] body = GuardBenchmark.Conversation.build().body();
        GuardEngine engine = GuardEngine.of(GuardRules.detectors());
        GuardPolicy all = GuardPolicy.builder().allPii().build();
        Work w = engine.work();
        System.out.printf("guard phases: %,d-byte body, %d timed iterations, load average %.1f%n", body.length, iterations,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        w.start(GuardPolicy.defaults(), body);
        w.walker.walkWhole(body, body.length, null);
        System.out.printf("decoded: %,d bytes in %d strings%n", w.walker.decoded.length, w.walker.segments.count());
        time("walk: find, copy and decode the strings", iterations, () -> w.walker.walkWhole(body, body.length, null));
        time("keyword automaton over the decoded strings", iterations,
                () -> w.prefilter.run(w.walker.decoded, w.walker.segments.count(), w.hits));
        System.out.printf("keyword hits: %,d%n", w.hits.size() / 3);
        time("detectors, default policy", iterations, () -> {
            w.start(GuardPolicy.defaults(), body);
            engine.process(w);
        });
        time("detectors, all scanners (+ personal data)", iterations, () -> {
            w.start(all, body);
            engine.process(w);
        });
        time("whole scan, all scanners", iterations, () -> engine.scan(body, body.length, 0, -1, all, null));
    }

    private static void time(String what, int iterations, Runnable task) {
        for (int i = 0; i < Math.max(50, iterations / 4); i++) {
            task.run();
        }
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            task.run();
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(cpu);
        System.out.printf("%-48s cpu p50 %7.3f ms   p99 %7.3f ms%n", what, cpu[iterations / 2] / 1e6, cpu[(int) (iterations * 0.99)] / 1e6);
    }
}
