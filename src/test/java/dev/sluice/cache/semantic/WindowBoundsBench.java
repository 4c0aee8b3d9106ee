package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.TokenWindows;
import dev.sluice.cache.semantic.embed.TransformerEmbedder;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.embed.WindowCache;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;
import java.nio.file.Path;
import dev.sluice.cache.semantic.embed.WordPiece;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the window bounds cost and what they decide, for texts over 64 tokens (shorter ones are one window
 * whatever the bounds). Per bounds (radius, max):
 * <ul>
 *   <li>cost: the tokens the transformer runs for a near-duplicate, i.e. the changed windows plus [CLS]/[SEP]
 *       each, over the latency bench's 200-word texts + " please" and over the long labelled set below;</li>
 *   <li>quality, the long labelled set: every labelled pair's two questions as the last sentence of a long
 *       Claude-Code-style prompt (a paragraph of shared context before it), and again in the middle of it;
 *       served = same code identity, whole-text similarity at or above the default threshold, and the window
 *       rule. Target as for the short set: no different-answer pair served, at least half of the same-answer
 *       pairs.</li>
 * </ul>
 * Run as a main class (docs/bench/semantic.md); arguments: bounds as radius:max[:tail], default "15:64:16 7:32:16".
 */
public final class WindowBoundsBench {
    /** Shared context a developer writes before the question; long enough that the question is not in the first window. */
    private static final String[] CONTEXTS = {
        WindowedVerificationTest.LONG.substring(0, WindowedVerificationTest.LONG.lastIndexOf("Could you")),
        "I am working on the billing service of our monorepo. It reads usage events from a queue, groups them by "
            + "customer and month, and writes invoices into the database once a day. Last week we moved the job from "
            + "a cron container to the worker pool that the rest of the platform uses, and since then the nightly "
            + "run sometimes takes twice as long. Nothing in the code changed apart from the scheduling. The logs "
            + "show the same number of events as before and no errors or retries. ",
        "Some background first. The mobile app talks to a GraphQL gateway, which calls three internal services "
            + "over HTTP. Each service has its own team and release schedule, and the gateway caches a few of the "
            + "slower responses for a short time. We have tracing on every hop and dashboards per service. Recently "
            + "product asked for a new screen that combines data from all three services. ",
    };

    /** Shared text after the question, for the question in the middle of the prompt. */
    private static final String AFTER = " I will try whatever you suggest on the staging cluster first and report back with"
            + " the logs and the timings from the dashboard, so please keep the answer practical.";

    /**
     * The {@code k}-th labelled pair's question placed in a long prompt: at the end ({@code pos} 0, after one of the
     * three contexts) or in the middle ({@code pos} 1, after the second or third context, before {@link #AFTER}).
     */
    static String place(int k, int pos, String question) {
        return pos == 0 ? CONTEXTS[k % CONTEXTS.length] + question : CONTEXTS[1 + (k + 1) % 2] + question + AFTER;
    }

    public static void main(String[] args) {
        String[] bounds = args.length > 0 ? args : new String[] {"15:64:16", "7:32:16"};
        LabelledPairs set = LabelledPairs.load();
        double t = SemanticSettings.DEFAULT_THRESHOLD;
        try (SemanticMatchers m = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-bench"), 1)) {
            TransformerEmbedder transformer = (TransformerEmbedder) m.verifier();
            for (String b : bounds) {
                int radius = Integer.parseInt(b.split(":")[0]);
                int max = Integer.parseInt(b.split(":")[1]);
                int tail = b.split(":").length > 2 ? Integer.parseInt(b.split(":")[2]) : radius + 1;
                TokenWindows cutter = new TokenWindows(transformer.tokenizer(), radius, max, tail);
                WindowedVerifier v = new WindowedVerifier(transformer, new WindowCache(64L << 20), cutter);
                Cost cost = new Cost();
                Random r = new Random(11);
                int dupes = 0;
                int dupeHits = 0;
                for (int i = 0; i < 200; i++) {
                    String text = SemanticLatencyBench.sentence(r, 200) + " (" + i + ")";
                    int max1 = SemanticMatchers.TRANSFORMER_MAX_TOKENS;
                    if (transformer.tokenizer().encode(text + " please", new int[max1 + 1], max1) < 0) {
                        continue; // not comparable at all (the lookup is a miss), as 3 of the latency bench's 50
                    }
                    dupes++;
                    dupeHits += served(v, "org:dupes", text, text + " please", t, cost) ? 1 : 0;
                }
                String dupeCost = cost.summary() + ", served " + dupeHits + "/" + dupes;
                String polite = politeLong(v, t);
                Cost longCost = new Cost();
                int[] sameServed = new int[2];
                int[] sameTotal = new int[2];
                int[] diffServed = new int[2];
                StringBuilder wrong = new StringBuilder();
                int k = 0;
                for (LabelledPairs.Pair p : set.pairs()) {
                    for (int pos = 0; pos < 2; pos++) {
                        boolean hit = p.sameContext() && served(v, "org:long" + pos + ":" + p.id(), place(k, pos, p.a()),
                                place(k, pos, p.b()), t, longCost);
                        if (p.same()) {
                            sameTotal[pos]++;
                            sameServed[pos] += hit ? 1 : 0;
                        } else if (hit) {
                            diffServed[pos]++;
                            wrong.append(' ').append(p.id()).append(pos == 0 ? "@end" : "@mid");
                        }
                    }
                    k++;
                }
                System.out.printf(Locale.ROOT, "bounds %d:%d:%d | %s | bench dupes: %s | long set: %s | same-answer served end %d/%d, "
                                + "middle %d/%d | different-answer served end %d, middle %d%s%n", radius, max, tail, polite, dupeCost,
                        longCost.summary(), sameServed[0], sameTotal[0], sameServed[1], sameTotal[1], diffServed[0], diffServed[1], wrong);
            }
        }
    }

    /** WindowedVerificationTest's long text with a thank-you sentence appended: served, and the rows the lookup embedded. */
    private static String politeLong(WindowedVerifier v, double t) {
        String stored = WindowedVerificationTest.LONG;
        String asked = stored + " Thanks a lot for your help with this.";
        WindowedVector s = v.verify("org:polite", stored).toCompletableFuture().join().orElseThrow();
        StoredEntry entry = new StoredEntry("E", CodeIdentity.of(stored), s.vector(), 0, EntryWindows.of(s));
        WindowedVector q = WindowPlan.verify(v, "org:polite", asked, List.of(entry.windows()), false).toCompletableFuture().join().orElseThrow();
        return String.format(Locale.ROOT, "polite long text served %s (%d windows stored, %d rows asked, whole-text %.4f)",
                SemanticMatcher.windowsAgree(q, entry, t), s.count(), q.count(), Vectors.dot(q.vector(), s.vector()));
    }

    /**
     * Stores {@code stored}, then checks {@code asked} against it as the matcher would (guard, threshold, window rule,
     * rows planned against the stored windows); counts the tokens the lookup ran through the transformer.
     */
    private static boolean served(WindowedVerifier v, String scope, String stored, String asked, double t, Cost cost) {
        WindowedVector s = v.verify(scope, stored).toCompletableFuture().join().orElse(null);
        if (s == null) {
            throw new IllegalStateException("over " + SemanticMatchers.TRANSFORMER_MAX_TOKENS + " tokens: " + stored);
        }
        StoredEntry entry = new StoredEntry("E", CodeIdentity.of(stored), s.vector(), 0, EntryWindows.of(s));
        WindowedVerifier.Cut cut = v.cut(asked);
        if (cut == null) {
            throw new IllegalStateException("over " + SemanticMatchers.TRANSFORMER_MAX_TOKENS + " tokens: " + asked);
        }
        int[] rows = WindowPlan.rows(cut, Arrays.asList(entry.windows()));
        cost.add(scope, rows, cut.rowHashes(rows), v.cache());
        WindowedVector q = v.verify(scope, cut, rows, false).toCompletableFuture().join().orElseThrow();
        if (!CodeIdentity.of(stored).sameAs(CodeIdentity.of(asked)) || Vectors.dot(q.vector(), s.vector()) < t) {
            return false;
        }
        return SemanticMatcher.windowsAgree(q, entry, t);
    }

    /** The tokens a lookup of a near-duplicate runs through the transformer: its rows not in the window cache, 2 more each. */
    private static final class Cost {
        private final int[] tokens = new int[4096];
        private final int[] windows = new int[4096];
        private int n;

        /** The rows (end offsets, hashes) a lookup is about to embed: those not in the window cache are run. */
        void add(String scope, int[] rows, long[] hashes, WindowCache cache) {
            for (int r = 0; r < rows.length; r++) {
                if (!cache.contains(new WindowCache.Key(scope, hashes[2 * r], hashes[2 * r + 1]))) {
                    tokens[n] += rows[r] - (r == 0 ? 0 : rows[r - 1]) + 2;
                    windows[n]++;
                }
            }
            n++;
        }

        String summary() {
            int[] t = Arrays.copyOf(tokens, n);
            int[] w = Arrays.copyOf(windows, n);
            Arrays.sort(t);
            Arrays.sort(w);
            return String.format(Locale.ROOT, "tokens run p50 %d p90 %d p99 %d max %d (mean %.1f), windows run max %d",
                    t[n / 2], t[(int) (n * 0.9)], t[(int) (n * 0.99)], t[n - 1], Arrays.stream(t).average().orElse(0), w[n - 1]);
        }
    }
}
