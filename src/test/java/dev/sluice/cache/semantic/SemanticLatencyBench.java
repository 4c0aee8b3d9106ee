package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.StoredEntry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.wire.Json;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Latency of the semantic lookup with the default matcher: 100,000 entries under one (scope,
 * anchor) (an HNSW index), 200-word newest turns. Paths measured, each as the caller sees it
 * (the future's completion, executor hop included):
 * a miss whose neighbours above the retrieval floor the code-identity guard refuses (200 words of the stored questions'
 * vocabulary: near their centroid); a miss with no neighbour above the floor (200 words of another vocabulary,
 * {@link #foreignSentence}: the search, then done); a lookup that verifies a near-duplicate with the
 * transformer; a tool-result turn (skips everything); an anchor with no entries; and deciding
 * from a 60 KB Claude Code body that its newest turn is a tool result. Run as a main class
 * (docs/bench/semantic.md); argument: entries (default 100000). {@code -Dverify=full} verifies with
 * the transformer on the whole text (before windowing) instead of the default windowed verifier;
 * {@code -Dthreads=1} gives ONNX Runtime one intra-op thread instead of 2 (the gateway's default is 1);
 * {@code -Ddupes=N} stores N near-duplicates instead of 60 and times N - 10 of them (a p99 of 50 is the second worst).
 * {@code -DmissWarm=N} runs N untimed misses of each kind first instead of 100 (the search's code is still being compiled after 100).
 * {@code -Dsettle=S}: a full collection and S seconds of rest before the first timed lookup ({@link #settle}).
 * {@code -DdupWarm=N} runs N untimed verified lookups first (other endings of the stored texts) instead of none.
 * {@code -Dsched=true} adds, per measured path, what each thread group of the process ran and waited for a CPU
 * (JIT, GC, lookup pool, caller) and the slowest runs split into the lookup threads' run time, their run-queue wait
 * and the caller's ({@link LookupWaits}).
 * Columns: runs, p50, p99, max, hits, process CPU per run.
 */
public final class SemanticLatencyBench {
    private static final String[] WORDS = ("the a to of in is it for on with how why where what does do we our this that "
            + "function class method module file test tests config server client request response cache token session user "
            + "database query index table column migration deploy build pipeline worker queue job retry timeout error "
            + "exception log logging metric trace span handler route endpoint api auth login password key secret value "
            + "list map array string number parse format render component state hook store event stream buffer thread "
            + "lock async await promise callback loop branch commit merge review refactor rename explain change update "
            + "fast slow large small first last new old main default option flag setting environment variable path").split(" ");

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Random r = new Random(11);
        boolean full = "full".equals(System.getProperty("verify"));
        int threads = Integer.getInteger("threads", 2);
        System.out.printf(Locale.ROOT, "verify=%s threads=%d entries=%d%n", full ? "full" : "windowed", threads, entries);
        try (SemanticMatchers m = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-bench"), threads)) {
            SemanticSettings settings = SemanticSettings.defaults().withSize(entries + 1_000, 2L << 30);
            SemanticMatcher matcher = full ? m.matcher(m.retrieval(), m.verifier(), settings, IndexLoader.NONE, StoreListener.NONE)
                    : m.matcher(settings, IndexLoader.NONE, StoreListener.NONE);
            Anchor anchor = new Anchor(5, 5);
            IndexKey key = matcher.key("org:bench", anchor);
            long t0 = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                String q = sentence(r, 8 + r.nextInt(18)) + "?";
                float[] v = m.retrieval().embed(q).toCompletableFuture().join().orElseThrow();
                matcher.applyRemote(key, v, new StoredEntry("E" + i, CodeIdentity.of(q), random(r, 384), System.currentTimeMillis()));
            }
            System.out.printf(Locale.ROOT, "index: %d entries, HNSW=%s, built in %.1f s, ~%d MB%n", entries,
                    matcher.registry().find(key).orElseThrow().usesHnsw(), (System.nanoTime() - t0) / 1e9,
                    matcher.registry().ramBytes() >> 20);

            String[] misses = new String[600];
            String[] foreign = new String[600];
            Random other = new Random(13); // its own sequence: every other text stays what earlier runs timed
            for (int i = 0; i < misses.length; i++) {
                misses[i] = sentence(r, 200);
                foreign[i] = foreignSentence(other, 200);
            }
            System.out.printf(Locale.ROOT, "miss texts with a neighbour above the retrieval floor: %d of %d (guard-refused),"
                    + " %d of %d (no neighbour)%n", withNeighbour(m, matcher, key, settings, misses), misses.length,
                    withNeighbour(m, matcher, key, settings, foreign), foreign.length);
            String[] dupes = new String[Integer.getInteger("dupes", 60)];
            for (int i = 0; i < dupes.length; i++) {
                dupes[i] = sentence(r, 200) + " (" + i + ")";
                matcher.store("org:bench", anchor, dupes[i], false, "D" + i).toCompletableFuture().join();
            }
            settle();
            int[] next = {0};
            report("miss, candidates refused by the guard (200 words, " + entries + " entries)", Integer.getInteger("missWarm", 100), 500,
                    () -> lookup(matcher, anchor, misses[next[0]++ % misses.length], false));
            next[0] = 0;
            report("miss, no neighbour above the floor (200 words, " + entries + " entries)", Integer.getInteger("missWarm", 100), 500,
                    () -> lookup(matcher, anchor, foreign[next[0]++ % foreign.length], false));
            dupWarm(matcher, anchor, dupes);
            next[0] = 0;
            report("near-duplicate verified by the transformer (200 words)", 10, dupes.length - 10,
                    () -> lookup(matcher, anchor, dupes[next[0]++ % dupes.length] + " please", false));
            report("tool-result turn (cannot match)", 10_000, 100_000, () -> lookup(matcher, anchor, misses[0], true));
            report("anchor with no entries", 10_000, 100_000, () -> lookup(matcher, new Anchor(9, 9), misses[0], false));
            byte[] body = toolResultBody();
            report("NewestTurn.of on a 60 KB Claude Code body ending in a tool result", 2_000, 20_000,
                    () -> NewestTurn.of(body).kind() == NewestTurn.Kind.TOOL_RESULT);
            report("static embedding alone (200 words)", 1_000, 10_000,
                    () -> m.retrieval().embed(misses[next[0]++ % misses.length]).toCompletableFuture().join().isPresent());
            report("transformer embedding alone (200 words)", 5, 40,
                    () -> m.verifier().embed(misses[next[0]++ % misses.length]).toCompletableFuture().join().isPresent());
            report("transformer embedding alone (20 words)", 10, 100,
                    () -> m.verifier().embed(sentence(r, 20)).toCompletableFuture().join().isPresent());
            report("windowed embedding alone, no window cached (200 words)", 5, 40,
                    () -> m.windowed().verify("cold" + next[0], misses[next[0]++ % misses.length]).toCompletableFuture().join().isPresent());
            report("windowed embedding alone, all but the last window cached (200 words + \" thank you\")", 5, 50,
                    () -> m.windowed().verify("org:bench", dupes[next[0]++ % dupes.length] + " thank you").toCompletableFuture().join().isPresent());
            System.out.println("window cache: " + m.windowed().cache().stats());
            windowRuleOnDupes(m, dupes);
        }
    }

    /** Endings for the verified warm-up: words only (a number would fail the code-identity guard, and skip verification). */
    private static final String[] ENDINGS = {" thanks", " thank you", " cheers", " thanks a lot", " much appreciated",
        " any ideas", " kind regards", " help"};

    /**
     * With {@code -DdupWarm=N}: N untimed verified lookups before the near-duplicates' 10 warm-up and timed ones, each a
     * stored text with other endings (two of {@link #ENDINGS}), so the timed " please" windows are not cached by them
     * (a repeated ending finds its window cached and skips the transformer, not the Java code around it). Without it the verified path's Java code (cut, plan, hashes, rule) is
     * still being compiled while timed, and on two cores the compiler competes with the lookup; its per-lookup methods
     * reach C2 only after 5,000 to 15,000 calls, so a few thousand move that rather than end it (h-sem7).
     */
    private static void dupWarm(SemanticMatcher matcher, Anchor anchor, String[] dupes) {
        int n = Integer.getInteger("dupWarm", 0);
        boolean sched = Boolean.getBoolean("sched");
        for (int i = 0; i < n; i++) {
            long[] w0 = sched ? LookupWaits.now() : null;
            int e = i / dupes.length;
            lookup(matcher, anchor, dupes[i % dupes.length] + ENDINGS[e % ENDINGS.length] + ENDINGS[e / ENDINGS.length % ENDINGS.length], false);
            if (sched) {
                LookupWaits.since(w0, 0);
            }
        }
    }

    /** How the near-duplicates fare under the window rule alone: whole-text similarity, worst changed window. */
    private static void windowRuleOnDupes(SemanticMatchers m, String[] dupes) {
        int refused = 0;
        double lowestWhole = 1;
        double lowestWindow = 1;
        for (String d : dupes) {
            var stored = m.windowed().verify("org:rule", d).toCompletableFuture().join().orElseThrow();
            var entry = new StoredEntry("R", CodeIdentity.of(d), stored.vector(), 0,
                    dev.sluice.cache.semantic.index.EntryWindows.of(stored));
            var text = WindowPlan.verify(m.windowed(), "org:rule", d + " please", java.util.Arrays.asList(entry.windows()), false)
                    .toCompletableFuture().join().orElseThrow();
            lowestWhole = Math.min(lowestWhole, Vectors.dot(stored.vector(), text.vector()));
            for (double t = 1.0; t > 0; t -= 0.005) {
                if (SemanticMatcher.windowsAgree(text, entry, t)) {
                    lowestWindow = Math.min(lowestWindow, t);
                    break;
                }
            }
            refused += SemanticMatcher.windowsAgree(text, entry, SemanticSettings.DEFAULT_THRESHOLD) ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "window rule on %d near-duplicates (+ \" please\"): %d refused at %.2f; lowest whole-text"
                + " similarity %.4f, lowest threshold the rule passes %.3f%n", dupes.length, refused,
                SemanticSettings.DEFAULT_THRESHOLD, lowestWhole, lowestWindow);
    }

    /**
     * With {@code -Dsettle=S}: a full collection and S seconds of rest before the first timed lookup, so the timings
     * do not include the garbage and compilation left by building the index (hundreds of MB just allocated). Off by
     * default, to stay comparable with earlier runs; a gateway's index grows a few entries at a time.
     */
    private static void settle() throws InterruptedException {
        int seconds = Integer.getInteger("settle", 0);
        if (seconds > 0) {
            System.gc();
            Thread.sleep(seconds * 1000L);
            System.out.printf(Locale.ROOT, "settled: a full collection and %d s of rest before timing%n", seconds);
        }
    }

    private static boolean lookup(SemanticMatcher m, Anchor anchor, String text, boolean tool) {
        return m.lookup(new LookupRequest("org:bench", anchor, text, tool)).toCompletableFuture().join().isPresent();
    }

    /** Prints runs, p50, p99, max, hits, and the process CPU per run (all threads: the load of the box does not inflate it). */
    private static void report(String name, int warmup, int runs, Supplier<Boolean> op) {
        boolean sched = Boolean.getBoolean("sched") && runs <= 1_000;
        for (int i = 0; i < warmup; i++) {
            long[] w0 = sched ? LookupWaits.now() : null; // warms the probe's own code too, or it compiles while timed
            op.get();
            if (sched) {
                LookupWaits.since(w0, 0);
            }
        }
        long[] ns = new long[runs];
        long[][] waits = sched ? new long[runs][] : null;
        var threads0 = sched ? SchedStat.threads() : null;
        if (sched) {
            System.out.println("  timed from here: " + name); // marks -XX:+PrintCompilation's output too
        }
        int hits = 0;
        long cpu0 = processCpuNanos();
        for (int i = 0; i < runs; i++) {
            long[] w0 = sched ? LookupWaits.now() : null;
            long s = System.nanoTime();
            hits += op.get() ? 1 : 0;
            ns[i] = System.nanoTime() - s;
            if (sched) {
                waits[i] = LookupWaits.since(w0, ns[i]);
            }
        }
        long cpu = (processCpuNanos() - cpu0) / runs;
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %d | %s |%n", name, runs, fmt(sorted[runs / 2]),
                fmt(sorted[(int) (runs * 0.99)]), fmt(sorted[runs - 1]), hits, fmt(cpu));
        if (sched) {
            System.out.println(SchedStat.diff(threads0, SchedStat.threads(), runs));
            System.out.println(LookupWaits.slowest(waits, 6));
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String fmt(long ns) {
        return ns < 1_000_000 ? String.format(Locale.ROOT, "%.1f µs", ns / 1e3) : String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }

    /** How many of {@code texts} have a stored neighbour at or above the retrieval floor (a search each, untimed). */
    private static int withNeighbour(SemanticMatchers m, SemanticMatcher matcher, IndexKey key, SemanticSettings s, String[] texts) {
        var index = matcher.registry().find(key).orElseThrow();
        int n = 0;
        for (String t : texts) {
            float[] v = m.retrieval().embed(t).toCompletableFuture().join().orElseThrow();
            n += index.search(v, s.candidates(), (float) s.retrievalFloor()).isEmpty() ? 0 : 1;
        }
        return n;
    }

    /**
     * Words none of the stored questions use: 200 of them score 0.70–0.80 against the nearest of 10,000 stored
     * questions, under the 0.85 retrieval floor (h-sem15; cooking verbs such as "whisk, chop, serve" score 0.85–0.88
     * and are left out).
     */
    private static final String[] OTHER = ("garden recipe flour butter sugar oven bake tomato basil onion garlic pepper "
            + "salad soup bread cheese apple orange lemon honey walnut almond carrot potato spinach cabbage cucumber "
            + "mushroom olive vinegar mustard cinnamon ginger vanilla chocolate pancake waffle muffin biscuit pastry "
            + "picnic harvest orchard meadow blossom tulip rose daisy lily violet sunflower hedge pond river valley "
            + "mountain forest cottage village farmer baker butcher grocer market basket symphony orchestra violin "
            + "cello trumpet melody harmony rhythm concert opera ballet choir").split(" ");

    /** A text of {@link #OTHER}'s words: a miss that no stored question comes near. */
    static String foreignSentence(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(OTHER[r.nextInt(OTHER.length)]);
        }
        return b.toString();
    }

    static String sentence(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    private static float[] random(Random r, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Vectors.normalize(v);
    }

    /** The demo Claude Code request with a tool_use / tool_result exchange appended. */
    private static byte[] toolResultBody() throws Exception {
        JsonNode demo;
        try (InputStream in = SemanticLatencyBench.class.getResourceAsStream("/demo/claude-code-request.json")) {
            demo = Json.MAPPER.readTree(in);
        }
        ArrayNode messages = (ArrayNode) demo.get("messages");
        messages.add(Json.MAPPER.readTree("{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
                + "\"name\":\"Read\",\"input\":{\"file_path\":\"/w/a.py\"}}]}"));
        messages.add(Json.MAPPER.readTree("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":\"print(1)\"}]}"));
        byte[] body = Json.MAPPER.writeValueAsBytes(demo);
        if (NewestTurn.of(body).kind() != NewestTurn.Kind.TOOL_RESULT) {
            throw new IllegalStateException("benchmark body is not a tool-result turn");
        }
        return body;
    }
}
