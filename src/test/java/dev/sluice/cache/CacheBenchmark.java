package dev.sluice.cache;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonParser;
import dev.sluice.cache.entry.AnswerTemplater;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.entry.EntryCodec;
import dev.sluice.cache.entry.WriteGuard;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.KeyRules;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKeyer;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.MemoryStore;
import dev.sluice.cache.store.RedisStore;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Cache costs, measured on Claude-Code-shaped bodies: the 60 KB demo request and a 700 KB one (a real
 * captured conversation continued with Read loops over this repository's sources).
 *
 * <ol>
 *   <li>keying alone: the keyed 128-bit hash vs SHA-256, and Jackson's fastest pass (skipping every
 *       string) as the baseline the tape replaces;</li>
 *   <li>miss path at a fixed rate (default 2,000 req/s, open loop, latency counted from each request's
 *       scheduled start): keying plus an in-process store lookup that misses;</li>
 *   <li>hit path for the 700 KB body: keying, fetch, and the replay bytes (events concatenated as they
 *       would be written), for Alice's own request and for Bob's (workspace-relative: substitution);</li>
 *   <li>the same through Redis when {@code /usr/bin/redis-server} is installed;</li>
 *   <li>compression of stored answers; memory staying inside the byte budget.</li>
 * </ol>
 * Not a unit test; run it by hand (results: docs/bench/cache.md):
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -Xmx1g -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.cache.CacheBenchmark [seconds] [rate]
 * </pre>
 */
public final class CacheBenchmark {
    static final Identity WHO = new Identity("k1", "k1", "u1", "t1", "acme", Map.of());
    static final List<String> CONTEXT = List.of("target=anthropic/claude-opus-5-5", "anthropic-beta=claude-code-20250219",
            "anthropic-version=2023-06-01");

    private CacheBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        byte[] small = Captures.demoBody();
        byte[] big = BigBodies.claudeCode(700_000, "alice-turn3", "/home/alice/src/calc");
        byte[] bigBob = asBob(big);
        System.out.printf("cache benchmark: %d cores, %s, bodies %,d and %,d bytes, %d s per phase%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), small.length, big.length, seconds);
        keying(small, seconds);
        keying(big, seconds);
        Vertx vertx = Vertx.vertx();
        try {
            MemoryStore memory = new MemoryStore(256L << 20);
            ResponseCache cache = ResponseCache.create(vertx, memory, WriteGuard.NONE, false).await();
            missPath(cache, small, rate, seconds);
            hitPath(cache, big, bigBob, 500, seconds, "memory");
            redis(vertx, big, bigBob, seconds);
            compression();
            memoryBound(vertx);
        } finally {
            vertx.close().await();
        }
    }

    /** Bob's copy of the same conversation: his paths, his git identity. */
    public static byte[] asBob(byte[] alice) {
        return new String(alice, UTF_8).replace("/home/alice/src/calc", "/home/bob/work/projects/calc")
                .replace("-home-alice-src-calc", "-home-bob-work-projects-calc").replace("/home/alice", "/home/bob")
                .replace("Git user: Alice Example\\n\\nStatus", "Git user: Bob Builder\\n\\nStatus").getBytes(UTF_8);
    }

    static void keying(byte[] body, int seconds) throws Exception {
        RequestKeyer fast = new RequestKeyer(KeySecret.random());
        RequestKeyer sha = new RequestKeyer(KeySecret.random(), true);
        int n = Math.max(200, (int) (seconds * 1e9 / 3 / Math.max(1, body.length * 2L)));
        long[] a = repeat(n, i -> fast.key(body, body.length, KeyRules.defaults(), CONTEXT));
        long[] b = repeat(n, i -> sha.key(body, body.length, KeyRules.defaults(), CONTEXT));
        long[] c = repeat(n, i -> jacksonPass(body));
        System.out.printf("keying %,d B   hash128 %s | sha-256 %s | jackson skip-pass %s%n", body.length, pct(a), pct(b), pct(c));
    }

    static void jacksonPass(byte[] body) {
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            while (p.nextToken() != null) {
                // tokens only: strings are skipped, never decoded
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void missPath(ResponseCache cache, byte[] body, int rate, int seconds) {
        String text = new String(body, UTF_8);
        int variants = 512;
        byte[][] bodies = new byte[variants][];
        for (int i = 0; i < variants; i++) {
            bodies[i] = text.replace("Why does the payments test fail", "Why does payments test " + i + " fail").getBytes(UTF_8);
        }
        CachePolicy policy = CachePolicy.defaults();
        IntConsumer op = i -> {
            byte[] b = bodies[i % variants];
            CacheDecision d = cache.lookup(new CacheRequest(WHO, policy, CacheControls.NONE, b, b.length, CONTEXT, true)).result();
            if (!(d instanceof CacheDecision.Miss)) {
                throw new IllegalStateException("expected a miss: " + d.status());
            }
        };
        paced(rate, 2, op);
        long[][] r = paced(rate, seconds, op);
        System.out.printf("miss  %,d B at %,d req/s: service %s | from schedule %s | cpu %s%n", body.length, rate, pct(r[0]), pct(r[1]), pct(r[2]));
    }

    static void hitPath(ResponseCache cache, byte[] alice, byte[] bob, int rate, int seconds, String label) {
        for (int answerBytes : new int[] {1_000, 20_000}) {
            store(cache, alice, answerBytes);
            for (byte[] body : new byte[][] {alice, bob}) {
                IntConsumer op = i -> {
                    CacheDecision d = cache.lookup(new CacheRequest(WHO, CachePolicy.defaults(), CacheControls.NONE, body, body.length,
                            CONTEXT, true)).toCompletionStage().toCompletableFuture().join();
                    if (!(d instanceof CacheDecision.Hit hit)) {
                        throw new IllegalStateException("expected a hit: " + d.status());
                    }
                    writeOut(hit.events());
                };
                paced(rate, 2, op);
                long[][] r = paced(rate, seconds, op);
                System.out.printf("hit   %s %,d B request, ~%,d B answer, %s at %d req/s: service %s | from schedule %s | cpu %s%n", label,
                        body.length, answerBytes, body == alice ? "exact (Alice)" : "workspace-relative (Bob)", rate, pct(r[0]), pct(r[1]), pct(r[2]));
            }
        }
    }

    /** Stores a streamed answer of about {@code bytes} for the request, through a real capture. */
    static void store(ResponseCache cache, byte[] body, int bytes) {
        CacheDecision d = cache.lookup(new CacheRequest(WHO, CachePolicy.defaults(), new CacheControls(null, null, null, null, true, false),
                body, body.length, CONTEXT, true)).toCompletionStage().toCompletableFuture().join();
        CacheCapture capture = ((CacheDecision.Miss) d).capture();
        String text = ("The answer is in /home/alice/src/calc/calc.py: add(a, b) returns a + b. ").repeat(Math.max(1, bytes / 700));
        Answers.stream("end_turn", Answers.text(text)).forEach(capture::onEvent);
        CacheCapture.Outcome o = capture.finish(200).toCompletionStage().toCompletableFuture().join();
        if (!o.stored() || !o.shared()) {
            throw new IllegalStateException("not stored: " + o);
        }
    }

    static int writeOut(List<SseEvent> events) {
        int n = 0;
        for (SseEvent e : events) {
            n += e.raw().length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (SseEvent e : events) {
            System.arraycopy(e.raw(), 0, out, at, e.raw().length);
            at += e.raw().length;
        }
        return out.length;
    }

    static void redis(Vertx vertx, byte[] alice, byte[] bob, int seconds) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
            System.out.println("redis: /usr/bin/redis-server not installed, skipped");
            return;
        }
        try (var server = RedisServer.start()) {
            RedisStore store = RedisStore.create(vertx, server.url());
            // a generous store timeout: on a shared machine a lookup that waits for a core would otherwise be a bypass
            ResponseCache cache = ResponseCache.create(vertx, store, WriteGuard.NONE, false, java.time.Duration.ofSeconds(5)).await();
            hitPath(cache, alice, bob, 200, seconds, "redis ");
            store.close().await();
        }
    }

    static void compression() {
        for (int size : new int[] {2_000, 20_000, 200_000}) {
            String text = ("calc.py defines add(a, b), which returns the sum of its arguments; the tests cover it. ").repeat(size / 88 + 1);
            List<SseEvent> events = Answers.stream("end_turn", Answers.text(text));
            AnswerTemplater.Templated t = AnswerTemplater.stream(events, Bindings.NONE);
            CacheEntry e = new CacheEntry(CacheEntry.Form.STREAM, t.payload(), t.eventEnds(), "m", "end_turn", Usage.of(1, 1), Map.of(), 0, Long.MAX_VALUE);
            byte[] encoded = EntryCodec.encode(e);
            long[] decode = repeat(2000, i -> EntryCodec.decode(encoded));
            System.out.printf("entry %,d B of text -> %,d B of SSE -> %,d B stored (%.0f%%), decode %s%n", text.length(),
                    e.payload().length, encoded.length, 100.0 * encoded.length / e.payload().length, pct(decode));
        }
    }

    static void memoryBound(Vertx vertx) {
        long budget = 32L << 20;
        for (boolean compressed : new boolean[] {false, true}) {
            MemoryStore store = new MemoryStore(budget, compressed);
            ResponseCache cache = ResponseCache.create(vertx, store, WriteGuard.NONE, false).await();
            System.gc();
            long before = usedHeap();
            int n = 0;
            long offered = 0;
            while (offered < 4 * budget) {
                byte[] body = ("{\"model\":\"m\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"question " + n + "\"}]}").getBytes(UTF_8);
                store(cache, body, 20_000);
                offered += 20_000 * 2;
                n++;
            }
            CacheStore.StoreStats s = store.stats();
            System.gc();
            long after = usedHeap();
            System.out.printf("memory %s: offered ~%,d MB in %,d answers; held %,d entries, %,d B of %,d B budget; evicted %,d; heap +%,d MB%n",
                    compressed ? "compressed" : "plain     ", offered >> 20, n, s.entries(), s.bytes(), s.budgetBytes(), s.evictions(),
                    (after - before) >> 20);
            store.close();
        }
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long[] repeat(int n, IntConsumer op) {
        for (int i = 0; i < Math.min(n, 500); i++) {
            op.accept(i);
        }
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            op.accept(i);
            t[i] = System.nanoTime() - t0;
        }
        return t;
    }

    /**
     * Runs {@code op} at {@code rate} per second for {@code seconds}; returns [service times, latency from
     * schedule, CPU time of the op's thread]. CPU time shows the work itself on a machine shared with
     * other processes, where wall-clock tails mostly measure waiting for a core.
     */
    static long[][] paced(int rate, int seconds, IntConsumer op) {
        int n = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long[] service = new long[n];
        long[] fromSchedule = new long[n];
        long[] cpu = new long[n];
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long next = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long now;
            while ((now = System.nanoTime()) < next) {
                if (next - now > 50_000) {
                    LockSupport.parkNanos(next - now - 20_000);
                }
            }
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            op.accept(i);
            long t1 = System.nanoTime();
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            service[i] = t1 - t0;
            fromSchedule[i] = t1 - next;
            next += interval;
        }
        return new long[][] {service, fromSchedule, cpu};
    }

    static String pct(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return String.format("p50 %s p99 %s p99.9 %s max %s", us(s[s.length / 2]), us(s[(int) (s.length * 0.99)]),
                us(s[(int) Math.min(s.length - 1, s.length * 0.999)]), us(s[s.length - 1]));
    }

    static String us(long nanos) {
        return String.format("%.0f us", nanos / 1e3);
    }
}
