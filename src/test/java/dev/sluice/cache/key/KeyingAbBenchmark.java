package dev.sluice.cache.key;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the keyer in one JVM, A and B, each in its own class loader, timed in alternating blocks of calls
 * ({@link RequestKeyer#key} on the 60 KB demo body and the 700 KB Claude Code body). On the shared 2-core box the
 * machine's state drifts by more than a change is worth between two runs of {@link KeyingBenchmark}; alternating
 * within one process puts the drift on both sides. Run it by hand (results: docs/bench/cache.md):
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * git worktree add /tmp/main-build main &amp;&amp; (cd /tmp/main-build &amp;&amp; ./mvnw -q -o compile)
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.cache.key.KeyingAbBenchmark \
 *     /tmp/main-build/target/classes target/classes 80 target/test.cp
 * </pre>
 * Arguments: the two class directories, rounds (each a block of calls on both sides), the dependency class path file,
 * and optionally {@code sha-warm} to warm up with SHA-256 keying as well, as {@code CacheBenchmark} does, and
 * {@code cold} to key every call from scratch (no {@link KeyCheckpoints}: a conversation's first request on a replica).
 * Run with {@code --add-modules jdk.incubator.vector}, as the launcher does, for the SIMD string scan.
 */
public final class KeyingAbBenchmark {
    private KeyingAbBenchmark() {
    }

    public static void main(String[] args) throws Throwable {
        int rounds = Integer.parseInt(args[2]);
        List<URL> deps = new ArrayList<>();
        for (String p : Files.readString(Path.of(args[3])).trim().split(":")) {
            deps.add(Path.of(p).toUri().toURL());
        }
        List<String> options = Arrays.asList(args).subList(4, args.length);
        boolean shaToo = options.contains("sha-warm");
        boolean cold = options.contains("cold");
        MethodHandle[] key = {keyer(args[0], deps, false, cold), keyer(args[1], deps, false, cold)};
        MethodHandle[] sha = {keyer(args[0], deps, true, cold), keyer(args[1], deps, true, cold)};
        byte[] small = Captures.demoBody();
        byte[] big = BigBodies.claudeCode(700_000, "alice-turn3", "/home/alice/src/calc");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("keying A/B: A=%s B=%s, %s, CPU time per call%n", args[0], args[1], Runtime.version());
        for (byte[] body : new byte[][] {small, big}) {
            int block = body.length > 100_000 ? 20 : 200;
            long[][] cpu = new long[2][rounds * block];
            for (int w = 0; w < 3 * block; w++) {
                Object a = key[0].invoke(body, body.length);
                Object b = key[1].invoke(body, body.length);
                if (shaToo) { // as CacheBenchmark does: the writer's hash calls see two hash classes
                    a = sha[0].invoke(body, body.length);
                    b = sha[1].invoke(body, body.length);
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int turn = 0; turn < 2; turn++) {
                    int side = (r & 1) == 0 ? turn : 1 - turn; // who goes first alternates too
                    for (int j = 0; j < block; j++) {
                        long c0 = threads.getCurrentThreadCpuTime();
                        Object k = key[side].invoke(body, body.length);
                        cpu[side][r * block + j] = threads.getCurrentThreadCpuTime() - c0;
                    }
                }
            }
            for (int side = 0; side < 2; side++) {
                long[] s = cpu[side].clone();
                Arrays.sort(s);
                System.out.printf("%,9d B  %s  cpu p10 %5.0f  p50 %5.0f  p90 %5.0f  p99 %5.0f  mean %5.0f us  (%d calls)%n",
                        body.length, side == 0 ? "A" : "B", s[s.length / 10] / 1e3, s[s.length / 2] / 1e3,
                        s[s.length * 9 / 10] / 1e3, s[s.length * 99 / 100] / 1e3, Arrays.stream(s).average().orElse(0) / 1e3,
                        s.length);
            }
        }
    }

    /** {@code (body, length) -> RequestKey} of the keyer in {@code classes}, loaded apart from this class path. */
    private static MethodHandle keyer(String classes, List<URL> deps, boolean sha256, boolean cold) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(Path.of(classes).toUri().toURL());
        urls.addAll(deps);
        ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Class<?> secret = loader.loadClass("dev.sluice.cache.key.KeySecret");
        Class<?> rules = loader.loadClass("dev.sluice.cache.key.KeyRules");
        Class<?> keyer = loader.loadClass("dev.sluice.cache.key.RequestKeyer");
        Object fixed = secret.getMethod("fixed", String.class).invoke(null, "ab");
        Object instance = keyer.getConstructor(secret, boolean.class).newInstance(fixed, sha256);
        if (cold) { // every key from scratch: a build with checkpoints gets none (older builds have no such constructor)
            for (java.lang.reflect.Constructor<?> c : keyer.getDeclaredConstructors()) {
                if (c.getParameterCount() == 3) {
                    c.setAccessible(true);
                    instance = c.newInstance(fixed, sha256, null);
                }
            }
        }
        MethodHandle key = MethodHandles.publicLookup().findVirtual(keyer, "key", MethodType.methodType(
                loader.loadClass("dev.sluice.cache.key.RequestKey"), byte[].class, int.class, rules, List.class));
        return MethodHandles.insertArguments(key.bindTo(instance), 2, rules.getMethod("defaults").invoke(null),
                List.of("target=anthropic/claude-opus-5-5"));
    }
}
