package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.normalise.UpstreamNormaliser;
import dev.sluice.pipeline.RequestBody;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * What the prompt-cache help hashes per forwarded request, before and after {@link PromptHashes}: the prefix
 * identities and the fork prefixes as the two passes they were ({@link TwoPassReference}, the old code), and as one
 * walk, on the 60 KB demo request (four breakpoints) and a 700 KB continued conversation with a breakpoint on its
 * newest block, also with upstream normalisation's edits. Each line gives the thread's CPU time per call (the work itself; wall time on the shared machine
 * mostly measures waiting for a core), after as many warm-up calls. Not a unit test; run it by hand:
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.cache.prompt.PromptHashesBench [iterations]
 * </pre>
 */
public final class PromptHashesBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String ORG = "org-bench";

    private PromptHashesBench() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        System.out.printf("prompt hashes: %s, %d timed calls per line, CPU time per call%n", Runtime.version(), iterations);
        byte[] big = lastBlockMarked(BigBodies.claudeCode(700_000, "alice-turn3", "/home/alice/src/calc"));
        for (byte[] body : new byte[][] {Captures.demoBody(), big}) {
            run(body, body.length > 100_000 ? iterations / 8 : iterations, false);
        }
        run(big, iterations / 8, true);
    }

    /** With {@code normalised}, the body carries upstream normalisation's edits (one per string naming the workspace). */
    private static void run(byte[] body, int n, boolean normalised) {
        RequestKey key = PromptCacheHelpTest.key(body);
        int last = ForkBreakpoint.lastToNote(key);
        if (last < 0) {
            throw new IllegalStateException("benchmark body has no fork to note");
        }
        RequestBody forwarded = RequestBody.of(body);
        if (normalised && !UpstreamNormaliser.apply(forwarded, key).normalised()) {
            throw new IllegalStateException("benchmark body not normalised");
        }
        String label = String.format("%,d B, %d blocks, %d edits", body.length, last + 1, forwarded.edits().size());
        print(label, "two passes", measure(n, i -> {
            TwoPassReference.prefixes(body, key); // the old identities read the unedited body
            TwoPassReference.forks(forwarded, key, ORG, last);
        }));
        print(label, "  identities", measure(n, i -> TwoPassReference.prefixes(body, key)));
        print(label, "  forks", measure(n, i -> TwoPassReference.forks(forwarded, key, ORG, last)));
        print(label, "one walk", measure(n, i -> PromptHashes.of(forwarded, key, ORG, true, true)));
        print(label, "  identities", measure(n, i -> PromptHashes.of(forwarded, key, ORG, true, false)));
        print(label, "  forks", measure(n, i -> PromptHashes.of(forwarded, key, ORG, false, true)));
    }

    /** Claude Code keeps a breakpoint on the newest message. */
    private static byte[] lastBlockMarked(byte[] body) {
        String text = new String(body, UTF_8);
        int end = text.lastIndexOf("}]}]");
        return (text.substring(0, end) + ",\"cache_control\":{\"type\":\"ephemeral\"}" + text.substring(end)).getBytes(UTF_8);
    }

    private static long[] measure(int n, IntConsumer op) {
        for (int i = 0; i < n; i++) {
            op.accept(i);
        }
        long[] cpu = new long[n];
        for (int i = 0; i < n; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            op.accept(i);
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        return cpu;
    }

    private static void print(String body, String what, long[] cpu) {
        long[] s = cpu.clone();
        Arrays.sort(s);
        System.out.printf("%-38s %-14s cpu p50 %6.1f us  p99 %6.1f us  mean %6.1f us%n", body, what, s[s.length / 2] / 1e3,
                s[(int) (s.length * 0.99)] / 1e3, Arrays.stream(s).average().orElse(0) / 1e3);
    }
}
