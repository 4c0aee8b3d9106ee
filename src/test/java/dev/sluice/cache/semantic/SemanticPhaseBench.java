package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.MiniLmModel;
import dev.sluice.cache.semantic.embed.WindowCache;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.embed.WordPiece;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.index.Candidate;
import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.ScopeIndex;
import dev.sluice.cache.semantic.index.StoredEntry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Where the time of a verified near-duplicate lookup goes: the default matcher's steps replayed one by
 * one on its own lookup executor (as {@link SemanticMatcher#lookup} runs them), each timed in wall and
 * thread-CPU time, plus the hand-offs (submit to start, completion to the caller awake) and the
 * collections that ended during the lookup. Prints the phases' medians and the slowest lookups phase by
 * phase, so a p99 can be put down to a long changed span, two ONNX runs, a collection, a hand-off or the
 * host (wall well above CPU: the thread was not running). Then times ONNX alone per row length.
 * Main class; argument: entries (default 100000); {@code -Ddupes=N} (default 210), {@code -Dthreads=N}
 * (ONNX intra-op threads, default 1, the gateway's). Run with {@code -Xlog:gc} to see the pauses too.
 */
public final class SemanticPhaseBench {
    private static final String[] PHASES = {"hand-off in", "static embed", "search", "guard", "cut", "plan", "verify",
        "decide", "hand-off out"};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One lookup: wall per phase, CPU per phase (executor thread), rows run, tokens run, GC pauses that ended. */
    record Sample(long[] wall, long[] cpu, int rowsRun, int tokensRun, long gcMillis, boolean hit, long total, long atMillis) {
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int threads = Integer.getInteger("threads", 1);
        Random r = new Random(11);
        try (SemanticMatchers m = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-bench"), threads)) {
            SemanticSettings settings = SemanticSettings.defaults().withSize(entries + 1_000, 2L << 30);
            SemanticMatcher matcher = m.matcher(settings, IndexLoader.NONE, StoreListener.NONE);
            Anchor anchor = new Anchor(5, 5);
            IndexKey key = matcher.key("org:bench", anchor);
            long t0 = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                String q = SemanticLatencyBench.sentence(r, 8 + r.nextInt(18)) + "?";
                float[] v = m.retrieval().embed(q).toCompletableFuture().join().orElseThrow();
                matcher.applyRemote(key, v, new StoredEntry("E" + i, CodeIdentity.of(q), unit(r), System.currentTimeMillis()));
            }
            System.out.printf(Locale.ROOT, "threads=%d entries=%d index built in %.1f s%n", threads, entries, (System.nanoTime() - t0) / 1e9);
            String[] dupes = new String[Integer.getInteger("dupes", 210)];
            for (int i = 0; i < dupes.length; i++) {
                dupes[i] = SemanticLatencyBench.sentence(r, 200) + " (" + i + ")";
                matcher.store("org:bench", anchor, dupes[i], false, "D" + i).toCompletableFuture().join();
            }
            ScopeIndex index = matcher.registry().find(key).orElseThrow();
            for (int i = 0; i < 10; i++) {
                sample(m, matcher, index, dupes[i] + " please");
            }
            List<Sample> samples = new ArrayList<>();
            for (int i = 10; i < dupes.length; i++) {
                samples.add(sample(m, matcher, index, dupes[i] + " please"));
            }
            print(samples);
            onnxAlone(threads);
        }
    }

    private static Sample sample(SemanticMatchers m, SemanticMatcher matcher, ScopeIndex index, String text) {
        long[] wall = new long[PHASES.length];
        long[] cpu = new long[PHASES.length];
        int[] run = new int[2];
        long gc0 = gcMillis();
        long atMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        long submitted = System.nanoTime();
        CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
            long[] at = {System.nanoTime()};
            long[] c = {THREADS.getCurrentThreadCpuTime()};
            wall[0] = at[0] - submitted;
            float[] v = m.retrieval().embed(text).toCompletableFuture().join().orElseThrow();
            mark(wall, cpu, 1, at, c);
            List<Candidate> found = index.search(v, matcher.settings().candidates(), (float) matcher.settings().retrievalFloor());
            mark(wall, cpu, 2, at, c);
            CodeIdentity id = CodeIdentity.of(text);
            found = found.stream().filter(x -> x.entry().identity().sameAs(id)).toList();
            mark(wall, cpu, 3, at, c);
            WindowedVerifier w = m.windowed();
            WindowedVerifier.Cut cut = w.cut(text);
            mark(wall, cpu, 4, at, c);
            int[] rows = WindowPlan.rows(cut, found.stream().map(x -> x.entry().windows()).toList());
            countRun(w.cache(), cut, rows, run);
            mark(wall, cpu, 5, at, c);
            Optional<WindowedVector> vv = w.verify("org:bench", cut, rows, true).toCompletableFuture().join();
            mark(wall, cpu, 6, at, c);
            boolean hit = false;
            for (Candidate x : found) {
                StoredEntry e = x.entry();
                double sim = dev.sluice.cache.semantic.embed.Vectors.dot(vv.orElseThrow().vector(), e.verifyVector());
                hit |= sim >= SemanticSettings.DEFAULT_THRESHOLD && SemanticMatcher.windowsAgree(vv.get(), e, SemanticSettings.DEFAULT_THRESHOLD);
            }
            mark(wall, cpu, 7, at, c);
            wall[8] = System.nanoTime(); // completion; the caller subtracts from its wake-up
            return hit;
        }, m.executor());
        boolean hit = f.join();
        long woke = System.nanoTime();
        wall[8] = woke - wall[8];
        return new Sample(wall, cpu, run[0], run[1], gcMillis() - gc0, hit, woke - submitted, atMillis);
    }

    /** Rows not in the window cache (those the transformer runs) and their tokens with [CLS]/[SEP]. */
    private static void countRun(WindowCache cache, WindowedVerifier.Cut cut, int[] rows, int[] run) {
        long[] h = cut.rowHashes(rows);
        for (int i = 0, start = 0; i < rows.length; start = rows[i], i++) {
            if (!cache.contains(new WindowCache.Key("org:bench", h[2 * i], h[2 * i + 1]))) {
                run[0]++;
                run[1] += rows[i] - start + 2;
            }
        }
    }

    private static void mark(long[] wall, long[] cpu, int phase, long[] at, long[] c) {
        long now = System.nanoTime();
        long cnow = THREADS.getCurrentThreadCpuTime();
        wall[phase] = now - at[0];
        cpu[phase] = cnow - c[0];
        at[0] = now;
        c[0] = cnow;
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    private static void print(List<Sample> samples) {
        int n = samples.size();
        long[] totals = samples.stream().mapToLong(Sample::total).sorted().toArray();
        System.out.printf(Locale.ROOT, "lookups %d: p50 %s p90 %s p99 %s max %s, hits %d%n", n, ms(totals[n / 2]),
                ms(totals[(int) (n * 0.9)]), ms(totals[(int) (n * 0.99)]), ms(totals[n - 1]),
                samples.stream().filter(Sample::hit).count());
        StringBuilder head = new StringBuilder("phase medians, wall (cpu):");
        for (int p = 0; p < PHASES.length; p++) {
            final int q = p;
            long[] wv = samples.stream().mapToLong(s -> s.wall()[q]).sorted().toArray();
            long[] cv = samples.stream().mapToLong(s -> s.cpu()[q]).sorted().toArray();
            head.append(String.format(Locale.ROOT, " %s %s (%s);", PHASES[p], ms(wv[n / 2]), ms(cv[n / 2])));
        }
        System.out.println(head);
        int[] tok = samples.stream().mapToInt(Sample::tokensRun).sorted().toArray();
        System.out.printf(Locale.ROOT, "tokens run p50 %d p90 %d p99 %d max %d; lookups with 2+ runs: %d; with a GC: %d%n",
                tok[n / 2], tok[(int) (n * 0.9)], tok[(int) (n * 0.99)], tok[n - 1],
                samples.stream().filter(s -> s.rowsRun() > 1).count(), samples.stream().filter(s -> s.gcMillis() > 0).count());
        System.out.printf(Locale.ROOT, "measured from %.3f s to %.3f s of JVM uptime (match with -Xlog:gc:...:uptime)%n",
                samples.get(0).atMillis() / 1e3, samples.get(n - 1).atMillis() / 1e3);
        System.out.println("slowest 8 (ms): total | " + String.join(" | ", PHASES) + " | verify cpu | rows/tokens | gc ms | at s");
        samples.stream().sorted(Comparator.comparingLong(Sample::total).reversed()).limit(8).forEach(s -> {
            StringBuilder b = new StringBuilder(ms(s.total()));
            for (long w : s.wall()) {
                b.append(" | ").append(ms(w));
            }
            System.out.printf(Locale.ROOT, "  %s | %s | %d/%d | %d | %.3f%n", b, ms(s.cpu()[6]), s.rowsRun(), s.tokensRun(),
                    s.gcMillis(), s.atMillis() / 1e3);
        });
    }

    /**
     * ONNX alone on rows of 18, 28 and 42 tokens (the near-duplicates' p50, p90, p99), wall and thread CPU, two
     * ways interleaved: the plain path (fresh buffers, a {@code [row][position][dim]} Java array, then summed) and
     * {@link MiniLmModel#pooledSums} (kept native buffers, summed from the output buffer).
     */
    private static void onnxAlone(int threads) {
        try (MiniLmModel model = MiniLmModel.load(threads)) {
            Random r = new Random(3);
            int[] lengths = {18, 28, 42};
            int runs = Integer.getInteger("onnx-runs", 300);
            long[][][] wall = new long[2][lengths.length][runs];
            long[][][] cpu = new long[2][lengths.length][runs];
            for (int i = -30; i < runs; i++) {
                for (int l = 0; l < lengths.length; l++) {
                    int[] row = new int[lengths[l]];
                    row[0] = WordPiece.CLS;
                    row[row.length - 1] = WordPiece.SEP;
                    for (int k = 1; k < row.length - 1; k++) {
                        row[k] = 2000 + r.nextInt(20_000);
                    }
                    for (int way = 0; way < 2; way++) {
                        int w = (i & 1) == 0 ? way : 1 - way;
                        long s = System.nanoTime();
                        long c = THREADS.getCurrentThreadCpuTime();
                        if (w == 0) {
                            float[][][] h = model.hiddenStates(new int[][] {row});
                            float[] v = new float[MiniLmModel.DIMENSIONS];
                            for (int p = 0; p < row.length; p++) {
                                for (int d = 0; d < v.length; d++) {
                                    v[d] += h[0][p][d];
                                }
                            }
                        } else {
                            model.pooledSums(new int[][] {row});
                        }
                        if (i >= 0) {
                            wall[w][l][i] = System.nanoTime() - s;
                            cpu[w][l][i] = THREADS.getCurrentThreadCpuTime() - c;
                        }
                    }
                }
            }
            for (int w = 0; w < 2; w++) {
                for (int l = 0; l < lengths.length; l++) {
                    Arrays.sort(wall[w][l]);
                    Arrays.sort(cpu[w][l]);
                    System.out.printf(Locale.ROOT, "ONNX alone, %s, %d tokens: wall p50 %s p99 %s; thread cpu p50 %s p99 %s%n",
                            w == 0 ? "plain" : "pooled", lengths[l], ms(wall[w][l][runs / 2]), ms(wall[w][l][runs * 99 / 100]),
                            ms(cpu[w][l][runs / 2]), ms(cpu[w][l][runs * 99 / 100]));
                }
            }
        }
    }

    private static float[] unit(Random r) {
        float[] v = new float[MiniLmModel.DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return dev.sluice.cache.semantic.embed.Vectors.normalize(v);
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.2f", ns / 1e6);
    }
}
