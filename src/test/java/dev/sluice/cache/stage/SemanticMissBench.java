package dev.sluice.cache.stage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.semantic.SchedStat;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.GatewayProcess;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * What the semantic path adds to a request that misses, measured in the running gateway over the simulator (one
 * output token, no pacing). Every request carries a new 200-word newest question, so the exact cache always misses;
 * measured requests say {@code Cache-Control: no-store} (read, never stored), so the index stays the prefilled one.
 * The paths differ only in what the semantic cache does after that miss:
 * <ol>
 *   <li>{@code exact only}: a model the semantic section does not cover (the baseline);</li>
 *   <li>{@code searched}: a conversation whose anchor holds {@code -Dprefill=500} questions (8 to 25 words): the text is decoded,
 *       the lookup hops to the semantic pool (static embedding, search, code guard) and back to the event loop;</li>
 *   <li>{@code anchor without entries}: a new conversation each time (a map lookup);</li>
 *   <li>{@code tool-result turn}: skipped before anything is computed.</li>
 * </ol>
 * The number is the gateway's own {@code x-sluice-latency-ms} (its time before the response head, upstream waits
 * excluded; the semantic lookup is stage time, so it is included). Paths are interleaved round-robin so they share
 * the machine's noise; {@code -Dwarmup=3000} rounds first (1,000 before h-sem15: the gateway's C2 compiler still ran
 * about as much CPU as its event loop during the measured rounds after 1,000).
 *
 * <p>Where the gateway runs ({@code -Dgateway=}): {@code process} (the default since h-sem15) starts it as a JVM of its
 * own with the launcher's memory and collector flags ({@link #LAUNCHER_JVM}, as {@code ./sluice} passes them; more with
 * {@code -Dgateway.jvm="-Xlog:gc:file=gc.log"}), so its collections are its own garbage's, not the client's and the
 * simulator's, which stay in this JVM; {@code in-process} runs all three in this JVM, as before h-sem15. Both read the
 * semantic counters through {@code GET /admin/cache/semantic}, and print the gateway JVM's collections during the
 * measured rounds ({@code /metrics}); {@code -Dsched=true} adds what each of the gateway's thread groups ran and waited
 * for a CPU (Linux schedstat), per round of the four paths; {@code -Dprofile=} attaches async-profiler for the
 * measured rounds ({@link #profile}).
 *
 * <p>Run: {@code ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * -Dmdep.includeScope=test}, then {@code java -Xmx1g --enable-native-access=ALL-UNNAMED --add-modules
 * jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp)
 * dev.sluice.cache.stage.SemanticMissBench [requests per path]}. Results: docs/bench/semantic.md.
 */
public final class SemanticMissBench {
    private static final String[] WORDS = ("how why where what does should we our this that function class method module "
            + "file test config server client request response cache token session user database query index table "
            + "migration deploy build pipeline worker queue job retry timeout error exception log metric trace handler "
            + "route endpoint auth login key value list map parse render state hook store event stream buffer thread "
            + "lock async loop branch commit merge review refactor rename explain change update default option flag").split(" ");

    /** What {@code ./sluice} gives the gateway's JVM (the launcher script, with its default heap and young sizes). */
    public static final List<String> LAUNCHER_JVM = List.of("--enable-native-access=ALL-UNNAMED", "--add-modules",
            "jdk.incubator.vector", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:GCTimeRatio=4", "-Xms128m", "-Xmx192m",
            "-XX:MaxNewSize=48m", "-XX:ReservedCodeCacheSize=64m", "-XX:TrimNativeHeapInterval=10000");
    private static final String ADMIN = "admin-semantic-bench-key";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int prefill = Integer.getInteger("prefill", 500);
        int warmUp = Integer.getInteger("warmup", 3000);
        // Short stored questions (like a developer's) against 200-word turns: most lookups find neighbours above the
        // retrieval floor that the code-identity guard refuses (h-sem15's allocation profile: the guard ran on nearly all).
        // -Dprefill-words=200 stores 200-word texts of the same small vocabulary instead: their mean vectors are alike,
        // so most lookups find candidates that pass the guard and pay the transformer (the worst case).
        int prefillWords = Integer.getInteger("prefill-words", 0);
        boolean child = !"in-process".equals(System.getProperty("gateway", "process"));
        Path data = Files.createTempDirectory("sluice-semantic-bench");
        String sections = "admin: {keys: [{value: " + ADMIN + ", role: write}]}\n"
                + "telemetry: {audit-log: \"off\"}\nstore: {data-dir: \"" + data.resolve("data") + "\"}\n"
                + "cache:\n  store: {budget: 1GB}\n  semantic: {mode: on, routes: [\"claude-sem-*\"], table-dir: \""
                + Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test") + "\"}\n";
        Random random = new Random(7);
        try (Target t = child ? Target.process(data, sections) : Target.inProcess(sections)) {
            System.out.println("gateway: " + t.describe());
            while (!status(t).path("ready").asBoolean()) {
                Thread.sleep(50);
            }
            for (int i = 0; i < prefill; i++) {
                int words = prefillWords > 0 ? prefillWords : 8 + random.nextInt(18);
                send(t, text("claude-sem-1", "filled", sentence(random, words)), false);
            }
            // Some 200-word questions pass the transformer's 256-piece cap and are not indexed: wait until indexing settles.
            for (long last = -1; last != status(t).path("indexed").asLong(); ) {
                last = status(t).path("indexed").asLong();
                Thread.sleep(2000);
            }
            int[] fresh = {0};
            Map<String, IntFunction<String>> paths = new LinkedHashMap<>();
            paths.put("exact only (baseline)", i -> text("claude-exact-1", "filled", sentence(random)));
            paths.put("searched, no match", i -> text("claude-sem-1", "filled", sentence(random)));
            paths.put("anchor without entries", i -> text("claude-sem-1", "new-" + fresh[0]++, sentence(random)));
            paths.put("tool-result turn", i -> toolResult("claude-sem-1", sentence(random)));
            Map<String, double[]> added = new LinkedHashMap<>();
            paths.keySet().forEach(k -> added.put(k, new double[n]));
            JsonNode before = null;
            double[] gc0 = null;
            boolean sched = Boolean.getBoolean("sched");
            Map<String, long[]> threads0 = null;
            for (int round = -warmUp; round < n; round++) {
                if (round == 0) {
                    before = status(t);
                    gc0 = gc(t);
                    threads0 = sched ? SchedStat.threads(t.pid()) : null;
                    profile(t, "start,event=alloc,total");
                }
                for (Map.Entry<String, IntFunction<String>> p : paths.entrySet()) {
                    double ms = send(t, p.getValue().apply(round), true);
                    if (round >= 0) {
                        added.get(p.getKey())[round] = ms;
                    }
                }
            }
            profile(t, "stop,collapsed,total,file=" + System.getProperty("profile.out", "gateway-alloc.txt"));
            Map<String, long[]> threads = sched ? SchedStat.threads(t.pid()) : null;
            double[] gc = gc(t);
            JsonNode after = status(t);
            System.out.printf("%d requests per path after %d warm-up rounds; %d questions prefilled (%d indexed in all); "
                    + "lookups reaching the matcher: %d (hits %d, busy %d, timed out %d); x-sluice-latency-ms:%n", n, warmUp,
                    prefill, after.path("indexed").asLong(), lookups(before, after, "miss") + lookups(before, after, "hit"),
                    lookups(before, after, "hit"), lookups(before, after, "skipped_busy"), lookups(before, after, "timed_out"));
            double[] base = sorted(added.get("exact only (baseline)"));
            for (Map.Entry<String, double[]> e : added.entrySet()) {
                double[] v = sorted(e.getValue());
                System.out.printf("  %-24s p50 %.3f  p90 %.3f  p99 %.3f ms   beyond exact only: p50 %+.3f  p99 %+.3f ms%n",
                        e.getKey(), pct(v, 50), pct(v, 90), pct(v, 99), pct(v, 50) - pct(base, 50), pct(v, 99) - pct(base, 99));
            }
            System.out.printf("  the gateway's JVM during the measured rounds (/metrics): %.0f young/mixed pauses, %.1f ms in all;"
                    + " %.0f remark/cleanup pauses, %.1f ms; ~%.0f KB allocated per request (counted at each young collection)%n",
                    gc[0] - gc0[0], 1e3 * (gc[1] - gc0[1]), gc[2] - gc0[2], 1e3 * (gc[3] - gc0[3]),
                    (gc[4] - gc0[4]) / 1024 / (n * (double) paths.size()));
            if (sched) {
                System.out.println("  the gateway's threads per round (one request of each path):");
                System.out.println(SchedStat.diff(threads0, threads, n));
            }
        }
        System.exit(0);
    }

    /**
     * With {@code -Dprofile=/path/to/libasyncProfiler.so}: async-profiler loaded into the gateway's JVM through
     * {@code jcmd JVMTI.agent_load} at the first measured round and stopped after the last, so what it records (here
     * allocations, written to {@code -Dprofile.out}) is the measured rounds' only, not start-up's or warm-up's.
     */
    private static void profile(Target t, String command) throws Exception {
        String lib = System.getProperty("profile");
        if (lib != null) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    // Quoted, or jcmd reads "start,event=alloc" as an argument named "start,event".
                    Long.toString(t.pid()), "JVMTI.agent_load", lib, "\"" + command + "\"").redirectErrorStream(true).start();
            System.out.println("  profiler " + command + ": " + new String(p.getInputStream().readAllBytes()).strip().replace('\n', ' '));
            p.waitFor();
        }
    }

    private static long lookups(JsonNode before, JsonNode after, String label) {
        return after.path("lookups").path(label).asLong() - before.path("lookups").path(label).asLong();
    }

    /** The gateway measured: its URL, and how it ends. */
    private interface Target extends AutoCloseable {
        String url();

        String describe();

        /** The gateway's process id (this JVM's in-process). */
        long pid();

        @Override
        void close() throws Exception;

        /** Gateway, simulator and client in this JVM (the harness), as before h-sem15. */
        static Target inProcess(String sections) {
            SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + sections);
            h.sim().standingDirectives(Map.of("x-sim-output-tokens", "1"));
            return new Target() {
                public String url() {
                    return h.gatewayUrl();
                }

                public String describe() {
                    return "in this JVM, with the simulator and the client";
                }

                public long pid() {
                    return ProcessHandle.current().pid();
                }

                public void close() {
                    h.close();
                }
            };
        }

        /** The gateway in a JVM of its own with the launcher's flags; the simulator and the client stay here. */
        static Target process(Path dir, String sections) throws Exception {
            SimServer sim = SluiceHarness.startSim();
            sim.standingDirectives(Map.of("x-sim-output-tokens", "1"));
            int port = SluiceHarness.closedPort();
            String yaml = "server: {port: " + port + ", event-loops: 1}\nauth: {keys: [\"" + SluiceHarness.GATEWAY_KEY + "\"]}\n"
                    + "upstreams: [{name: sim, base-url: \"" + sim.baseUrl() + "\", keys: [{alias: primary, value: \""
                    + SluiceHarness.UPSTREAM_KEY + "\"}]}]\n" + sections;
            List<String> jvm = new ArrayList<>(LAUNCHER_JVM);
            String extra = System.getProperty("gateway.jvm", "").trim();
            if (!extra.isEmpty()) {
                jvm.addAll(List.of(extra.split("\\s+")));
            }
            GatewayProcess g;
            try {
                g = GatewayProcess.start(dir, yaml, port, jvm);
            } catch (Exception | Error e) {
                sim.close().await();
                throw e;
            }
            return new Target() {
                public String url() {
                    return g.url();
                }

                public String describe() {
                    return "its own JVM (pid " + g.pid() + "): " + String.join(" ", jvm);
                }

                public long pid() {
                    return g.pid();
                }

                public void close() throws Exception {
                    g.sigterm(); // a clean end: a profiler attached with -Dgateway.jvm writes its output on exit
                    g.waitFor(30);
                    g.close();
                    sim.close().await();
                }
            };
        }
    }

    /**
     * The gateway JVM's collections so far, from Micrometer's meters on {@code /metrics} (loopback needs no token):
     * young and mixed pauses (count, seconds), G1's remark and cleanup pauses (reported as its concurrent phases;
     * count, seconds) and the bytes allocated in the young generation.
     */
    private static double[] gc(Target t) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(t.url() + "/metrics")).GET().build());
        String[] names = {"jvm_gc_pause_seconds_count{", "jvm_gc_pause_seconds_sum{", "jvm_gc_concurrent_phase_time_seconds_count{",
            "jvm_gc_concurrent_phase_time_seconds_sum{", "jvm_gc_memory_allocated_bytes_total "};
        double[] sums = new double[names.length];
        r.body().lines().forEach(line -> {
            for (int i = 0; i < names.length; i++) {
                if (line.startsWith(names[i])) {
                    sums[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        });
        return sums;
    }

    private static JsonNode status(Target t) throws Exception {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(t.url() + "/admin/cache/semantic"))
                .header("authorization", "Bearer " + ADMIN).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /admin/cache/semantic answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    private static String sentence(Random r) {
        return sentence(r, 200);
    }

    private static String sentence(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.append('?').toString();
    }

    private static String prefix(String model, String conversation) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"stream\":false,"
                + "\"system\":\"You are Claude Code, working in repo " + conversation + ".\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Read src/main.py first.\"},"
                + "{\"role\":\"assistant\",\"content\":\"I read src/main.py.\"},";
    }

    private static String text(String model, String conversation, String newest) {
        return prefix(model, conversation) + "{\"role\":\"user\",\"content\":\"" + newest + "\"}]}";
    }

    private static String toolResult(String model, String output) {
        return prefix(model, "tools") + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":\"" + output + "\"}]}]}";
    }

    /** {@code noStore}: measured requests are not stored, so the index the lookups search stays the prefilled one. */
    private static double send(Target t, String body, boolean noStore) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(t.url() + "/v1/messages"))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("cache-control", noStore ? "no-store" : "max-age=3600")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
        }
        return Double.parseDouble(r.headers().firstValue("x-sluice-latency-ms").orElseThrow());
    }

    private static double[] sorted(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c;
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
