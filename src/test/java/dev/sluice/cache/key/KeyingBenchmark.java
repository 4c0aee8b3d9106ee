package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import dev.sluice.cache.prompt.PromptPrefix;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Keying alone, phase by phase, on the two Claude-Code-shaped bodies of {@code CacheBenchmark} (the 60 KB demo
 * request and the 700 KB continued conversation, here with Claude Code's moving breakpoint on its last message):
 * <ol>
 *   <li>{@code key}: {@link RequestKeyer#key} as the cache calls it; keying the same body again resumes from the
 *       {@link KeyCheckpoints} the first call stored, as a hit does (every message but the newest is skipped);</li>
 *   <li>its phases: tokenize ({@link JsonTape}), structure ({@link RequestShape}), canonical hash ({@link KeyWriter});</li>
 *   <li>{@code prefixes}: {@link PromptPrefix#of}, which the cache stage adds for a request that goes upstream.</li>
 * </ol>
 * Each line gives the thread's CPU time per call (the work itself; wall time on the shared machine mostly
 * measures waiting for a core). Bounded: {@code iterations} timed calls per line after as many warm-up calls.
 * Not a unit test; run it by hand (results: docs/bench/cache.md):
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.cache.key.KeyingBenchmark [iterations]
 * </pre>
 * Add {@code -XX:+UnlockDiagnosticVMOptions -XX:+PrintCompilation} to see which tier each keying method ends in.
 */
public final class KeyingBenchmark {
    private static final List<String> CONTEXT = List.of("target=anthropic/claude-opus-5-5",
            "anthropic-beta=claude-code-20250219", "anthropic-version=2023-06-01");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private KeyingBenchmark() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        byte[] small = Captures.demoBody();
        byte[] big = withLastBreakpoint(BigBodies.claudeCode(700_000, "alice-turn3", "/home/alice/src/calc"));
        System.out.printf("keying benchmark: %s, %d timed calls per line, CPU time per call%n", Runtime.version(), iterations);
        for (byte[] body : new byte[][] {small, big}) {
            run(body, iterations);
        }
    }

    private static void run(byte[] body, int iterations) {
        RequestKeyer keyer = new RequestKeyer(KeySecret.random());
        KeyRules rules = KeyRules.defaults();
        RequestKey key = keyer.key(body, body.length, rules, CONTEXT);
        if (!key.cacheable()) {
            throw new IllegalStateException("benchmark body not cacheable: " + key.reason());
        }
        int n = body.length > 100_000 ? iterations / 4 : iterations; // same CPU budget, roughly, per body
        JsonTape tape = new JsonTape();
        RequestShape shape = new RequestShape();
        KeyWriter writer = new KeyWriter();
        KeySecret secret = KeySecret.random();
        byte[] out = new byte[16];
        byte[] anchor = new byte[16];
        String label = String.format("%,d B, %d breakpoints", body.length, key.breakpoints().size());
        print(label, "key", measure(n, i -> keyer.key(body, body.length, rules, CONTEXT)));
        print(label, "  tokenize", measure(n, i -> tape.parse(body, 0, body.length, false)));
        print(label, "  structure", measure(n, i -> shape.read(tape, rules)));
        PathTemplates paths = PathTemplates.of(Bindings.ofBytes(shape.markers().found()));
        print(label, "  hash", measure(n, i -> writer.write(tape, shape, paths, rules, CONTEXT, secret.newHash(), out, anchor)));
        print(label, "prefixes", measure(n, i -> PromptPrefix.of(body, key)));
    }

    /** Claude Code keeps a breakpoint on the newest message; the grown body's last block gets one. */
    static byte[] withLastBreakpoint(byte[] body) {
        String text = new String(body, UTF_8);
        int end = text.lastIndexOf("}]}]");
        if (end < 0) {
            throw new IllegalStateException("unexpected body end");
        }
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
        System.out.printf("%-28s %-12s cpu p50 %6.0f us  p99 %6.0f us  mean %6.0f us%n", body, what, s[s.length / 2] / 1e3,
                s[(int) (s.length * 0.99)] / 1e3, Arrays.stream(s).average().orElse(0) / 1e3);
    }
}
