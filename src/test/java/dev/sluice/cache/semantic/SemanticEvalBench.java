package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.guard.CodeIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Precision and recall of semantic matching on the labelled pair set, per threshold and per
 * category, for each embedding option; chooses the default threshold (zero different-answer
 * pairs served, at least half of the same-answer pairs hit). Run as a main class (see
 * docs/bench/semantic.md); {@code --no-transformer} skips the slow transformer option.
 */
public final class SemanticEvalBench {
    /** Added above the highest-scoring different-answer pair: the set is finite, the next pair may score higher. */
    static final double MARGIN = 0.02;

    record Scored(LabelledPairs.Pair pair, double similarity, boolean guardOk) {
        boolean eligible() {
            return pair.sameContext() && guardOk;
        }
    }

    record Choice(String option, double threshold, int served, int wrong, int same, double recall) {
    }

    public static void main(String[] args) throws Exception {
        boolean transformer = !List.of(args).contains("--no-transformer");
        LabelledPairs set = LabelledPairs.load();
        List<Choice> choices = new ArrayList<>();
        try (EmbeddingOptions options = EmbeddingOptions.open(transformer)) {
            for (Map.Entry<String, EmbeddingOptions.Scorer> option : options.scorers().entrySet()) {
                List<Scored> scored = score(set, option.getValue());
                choices.add(report(option.getKey(), scored));
            }
        }
        endToEnd(set);
        System.out.println("\n## Summary (default threshold per option = highest different-answer similarity + " + MARGIN + ")");
        System.out.println("| option | threshold | same-answer hit | different-answer served |");
        System.out.println("|---|---:|---:|---:|");
        for (Choice c : choices) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %d/%d (%.0f%%) | %d |%n", c.option(), c.threshold(), c.served(),
                    c.same(), 100 * c.recall(), c.wrong());
        }
    }

    /**
     * The same pairs through the real matcher with each choice's default settings, as Claude-Code-shaped
     * requests: store the first question, look up the second under its own anchor.
     */
    static void endToEnd(LabelledPairs set) {
        System.out.println("\n## End to end through SemanticMatcher (Claude-Code-shaped requests, default settings per choice)");
        System.out.println("| choice | threshold | same-answer hit | different-answer served | per category (served/pairs) |");
        System.out.println("|---|---:|---:|---:|---|");
        try (SemanticMatchers m = SemanticMatchers.open(EmbeddingOptions.cacheDir(), 2)) {
            for (EmbeddingChoice choice : EmbeddingChoice.values()) {
                SemanticMatcher matcher = m.matcher(choice, choice.defaults(), IndexLoader.NONE, StoreListener.NONE);
                Map<String, int[]> cats = new TreeMap<>();
                int sameHit = 0;
                int wrong = 0;
                for (LabelledPairs.Pair p : set.pairs()) {
                    byte[] a = ClaudeCodeTurns.body(p.contextA(), p.a());
                    byte[] b = ClaudeCodeTurns.body(p.contextB(), p.b());
                    NewestTurn ta = NewestTurn.of(a);
                    NewestTurn tb = NewestTurn.of(b);
                    matcher.store(p.id(), ClaudeCodeTurns.anchor(a, ta), ta.text(), false, p.id()).toCompletableFuture().join();
                    boolean served = matcher.lookup(LookupRequest.of(p.id(), ClaudeCodeTurns.anchor(b, tb), tb))
                            .toCompletableFuture().join().filter(Match::serve).isPresent();
                    int[] c = cats.computeIfAbsent((p.same() ? "same/" : "different/") + p.category(), k -> new int[2]);
                    c[1]++;
                    if (served) {
                        c[0]++;
                        if (p.same()) {
                            sameHit++;
                        } else {
                            wrong++;
                        }
                    }
                }
                StringBuilder per = new StringBuilder();
                cats.forEach((k, c) -> per.append(k).append(' ').append(c[0]).append('/').append(c[1]).append("; "));
                long same = set.pairs().stream().filter(LabelledPairs.Pair::same).count();
                System.out.printf(Locale.ROOT, "| %s | %.2f | %d/%d (%.0f%%) | %d | %s |%n", choice, choice.defaults().threshold(),
                        sameHit, same, 100.0 * sameHit / same, wrong, per);
            }
        }
    }

    static List<Scored> score(LabelledPairs set, EmbeddingOptions.Scorer scorer) {
        List<Scored> out = new ArrayList<>();
        for (LabelledPairs.Pair p : set.pairs()) {
            boolean guard = CodeIdentity.of(p.a()).sameAs(CodeIdentity.of(p.b()));
            out.add(new Scored(p, scorer.similarity(p.a(), p.b()), guard));
        }
        return out;
    }

    static Choice report(String option, List<Scored> scored) {
        System.out.println("\n## " + option);
        double worstWrong = scored.stream().filter(s -> !s.pair().same() && s.eligible())
                .mapToDouble(Scored::similarity).max().orElse(0);
        double worstWrongNoGuard = scored.stream().filter(s -> !s.pair().same() && s.pair().sameContext())
                .mapToDouble(Scored::similarity).max().orElse(0);
        System.out.printf(Locale.ROOT, "highest different-answer similarity: %.3f with the guard, %.3f without%n",
                worstWrong, worstWrongNoGuard);
        System.out.println("| threshold | served same | served different | precision | recall | recall without guard | different served without guard |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        int same = (int) scored.stream().filter(s -> s.pair().same()).count();
        for (int t100 = 80; t100 <= 100; t100 += 1) {
            double t = t100 == 100 ? 0.999 : t100 / 100.0;
            int[] g = count(scored, t, true);
            int[] ng = count(scored, t, false);
            System.out.printf(Locale.ROOT, "| %.2f | %d | %d | %.3f | %.3f | %.3f | %d |%n", t, g[0], g[1],
                    g[0] + g[1] == 0 ? 1.0 : g[0] / (double) (g[0] + g[1]), g[0] / (double) same, ng[0] / (double) same, ng[1]);
        }
        double chosen = Math.min(0.999, Math.ceil((worstWrong + MARGIN) * 100) / 100);
        perCategory(scored, chosen);
        int[] at = count(scored, chosen, true);
        return new Choice(option, chosen, at[0], at[1], same, at[0] / (double) same);
    }

    /** {served same-answer pairs, served different-answer pairs} at {@code t}. */
    static int[] count(List<Scored> scored, double t, boolean guard) {
        int[] c = new int[2];
        for (Scored s : scored) {
            boolean served = s.pair().sameContext() && (!guard || s.guardOk()) && s.similarity() >= t;
            if (served) {
                c[s.pair().same() ? 0 : 1]++;
            }
        }
        return c;
    }

    static void perCategory(List<Scored> scored, double t) {
        Map<String, int[]> byCat = new TreeMap<>();
        Map<String, double[]> sims = new LinkedHashMap<>();
        for (Scored s : scored) {
            int[] c = byCat.computeIfAbsent((s.pair().same() ? "same/" : "different/") + s.pair().category(), k -> new int[4]);
            c[0]++;
            if (s.pair().sameContext() && s.guardOk() && s.similarity() >= t) {
                c[1]++;
            }
            if (!s.guardOk() || !s.pair().sameContext()) {
                c[2]++;
            }
            if (s.pair().sameContext() && s.similarity() >= t) {
                c[3]++;
            }
            sims.computeIfAbsent(s.pair().category(), k -> new double[] {1, 0});
            double[] mm = sims.get(s.pair().category());
            mm[0] = Math.min(mm[0], s.similarity());
            mm[1] = Math.max(mm[1], s.similarity());
        }
        System.out.printf(Locale.ROOT, "%nper category at threshold %.2f:%n", t);
        System.out.println("| category | pairs | served | stopped by guard or anchor | above threshold without guard | similarity min–max |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        byCat.forEach((cat, c) -> {
            double[] mm = sims.get(cat.substring(cat.indexOf('/') + 1));
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %.3f–%.3f |%n", cat, c[0], c[1], c[2], c[3], mm[0], mm[1]);
        });
    }
}
