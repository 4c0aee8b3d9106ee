package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.ScopeIndex;
import dev.sluice.cache.semantic.index.StoredEntry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Garbage per semantic miss, by the kind of miss: bytes the whole process allocates per lookup (caller, lookup thread,
 * hand-offs; {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes}) and the lookup's CPU, over
 * {@code -Druns=20000} lookups after as many untimed. Two miss texts, both 200 words:
 * <ul>
 *   <li>{@code guard-refused}: words of {@link SemanticLatencyBench}'s vocabulary, whose short stored questions are its
 *       neighbours above the retrieval floor, which the code-identity guard then refuses (the bench's "miss" row);</li>
 *   <li>{@code no neighbour}: words of another vocabulary ({@link SemanticLatencyBench#foreignSentence}), so no entry
 *       reaches the floor: search, then done.</li>
 * </ul>
 * The index holds the argument's number of short questions (default 10,000: HNSW; 500 searches by brute force, as the
 * gateway's {@code SemanticMissBench} does). Run like SemanticLatencyBench (docs/bench/semantic.md), with
 * {@code -agentpath:/path/libasyncProfiler.so=start,event=alloc,file=alloc.txt,collapsed} to see where it comes from.
 */
public final class MissGarbageBench {
    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = Integer.getInteger("runs", 20_000);
        Random r = new Random(11);
        try (SemanticMatchers m = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-bench"), 1)) {
            SemanticSettings settings = SemanticSettings.defaults().withSize(entries + 1_000, 2L << 30);
            SemanticMatcher matcher = m.matcher(settings, IndexLoader.NONE, StoreListener.NONE);
            Anchor anchor = new Anchor(5, 5);
            IndexKey key = matcher.key("org:bench", anchor);
            for (int i = 0; i < entries; i++) {
                String q = SemanticLatencyBench.sentence(r, 8 + r.nextInt(18)) + "?";
                float[] v = m.retrieval().embed(q).toCompletableFuture().join().orElseThrow();
                matcher.applyRemote(key, v, new StoredEntry("E" + i, CodeIdentity.of(q), new float[384], System.currentTimeMillis()));
            }
            ScopeIndex index = matcher.registry().find(key).orElseThrow();
            String[] refused = new String[600];
            String[] foreign = new String[600];
            for (int i = 0; i < refused.length; i++) {
                refused[i] = SemanticLatencyBench.sentence(r, 200);
                foreign[i] = SemanticLatencyBench.foreignSentence(r, 200);
            }
            System.out.printf(Locale.ROOT, "%d entries, HNSW=%s; texts with a neighbour above the floor: guard-refused %d/600,"
                    + " no neighbour %d/600%n", entries, index.usesHnsw(), withNeighbour(m, index, settings, refused),
                    withNeighbour(m, index, settings, foreign));
            for (int round = 0; round < 2; round++) {
                measure(round == 0 ? "warm-up" : "measured", matcher, anchor, refused, foreign, runs);
            }
        }
    }

    private static int withNeighbour(SemanticMatchers m, ScopeIndex index, SemanticSettings s, String[] texts) {
        int n = 0;
        for (String t : texts) {
            float[] v = m.retrieval().embed(t).toCompletableFuture().join().orElseThrow();
            n += index.search(v, s.candidates(), (float) s.retrievalFloor()).isEmpty() ? 0 : 1;
        }
        return n;
    }

    private static void measure(String label, SemanticMatcher matcher, Anchor anchor, String[] refused, String[] foreign, int runs) {
        for (String[] texts : new String[][] {refused, foreign}) {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long bytes0 = threads.getTotalThreadAllocatedBytes();
            long cpu0 = os.getProcessCpuTime();
            int hits = 0;
            for (int i = 0; i < runs; i++) {
                hits += matcher.lookup(new LookupRequest("org:bench", anchor, texts[i % texts.length], false))
                        .toCompletableFuture().join().isPresent() ? 1 : 0;
            }
            long bytes = threads.getTotalThreadAllocatedBytes() - bytes0;
            long cpu = os.getProcessCpuTime() - cpu0;
            System.out.printf(Locale.ROOT, "%-8s %-13s %d lookups, %d hits: %.1f KB allocated per lookup, %.0f µs process CPU%n",
                    label, texts == refused ? "guard-refused" : "no neighbour", runs, hits, bytes / 1024.0 / runs, cpu / 1e3 / runs);
        }
    }
}
