package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The target on the committed labelled set, through the default matcher end to end
 * (Claude-Code-shaped requests, anchors hashed from the bodies): zero different-answer pairs served
 * and at least half of the same-answer pairs hit. A change to the guard, the model or the default
 * threshold that breaks it fails here, not in production.
 */
class LabelledSetTest {
    @Test
    void defaultMatcherServesNoDifferentAnswerPairAndHitsAtLeastHalfTheSameAnswerPairs() {
        LabelledPairs set = LabelledPairs.load();
        assertThat(set.pairs()).hasSizeGreaterThanOrEqualTo(300);
        assertThat(set.pairs().stream().map(LabelledPairs.Pair::category).distinct().toList())
                .containsAll(Set.of("paraphrase", "reorder", "typo", "politeness", "changed-code", "identifier", "file",
                        "negation", "number", "version", "why-how"));
        List<String> wrong = new ArrayList<>();
        Map<Boolean, int[]> counts = new HashMap<>();
        try (SemanticMatchers m = SemanticMatchers.open(EmbeddingOptions.cacheDir(), 2)) {
            SemanticMatcher matcher = m.matcher(SemanticSettings.defaults(), IndexLoader.NONE, StoreListener.NONE);
            for (LabelledPairs.Pair p : set.pairs()) {
                byte[] a = ClaudeCodeTurns.body(p.contextA(), p.a());
                byte[] b = ClaudeCodeTurns.body(p.contextB(), p.b());
                NewestTurn ta = NewestTurn.of(a);
                NewestTurn tb = NewestTurn.of(b);
                assertThat(ta.text()).isEqualTo(p.a());
                matcher.store(p.id(), ClaudeCodeTurns.anchor(a, ta), ta.text(), false, p.id()).toCompletableFuture().join();
                boolean served = matcher.lookup(LookupRequest.of(p.id(), ClaudeCodeTurns.anchor(b, tb), tb))
                        .toCompletableFuture().join().filter(Match::serve).isPresent();
                int[] c = counts.computeIfAbsent(p.same(), k -> new int[2]);
                c[1]++;
                if (served) {
                    c[0]++;
                    if (!p.same()) {
                        wrong.add(p.id() + " " + p.category() + ": " + p.a() + " | " + p.b());
                    }
                }
            }
        }
        assertThat(wrong).as("different-answer pairs served").isEmpty();
        int[] same = counts.get(true);
        System.out.println("labelled set: same-answer served " + same[0] + " / " + same[1]);
        assertThat(same[0] * 2).as("same-answer hits " + same[0] + " of " + same[1]).isGreaterThanOrEqualTo(same[1]);
    }
}
