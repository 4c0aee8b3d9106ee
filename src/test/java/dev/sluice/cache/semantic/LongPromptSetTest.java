package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.index.Anchor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The target on long prompts, through the default matcher end to end: each labelled pair's two questions
 * placed at the end of a long prompt (a paragraph of shared context before them) and in its middle (context before,
 * a shared sentence after), the same placement as {@link WindowBoundsBench}. Long prompts are cut into windows, so
 * this is where the window rule and the planned rows decide: zero different-answer pairs served, and at least half of
 * the same-answer pairs, at each position.
 */
class LongPromptSetTest {
    @Test
    void defaultMatcherServesNoDifferentAnswerPairInALongPromptAndHitsAtLeastHalfTheSameAnswerPairs() {
        LabelledPairs set = LabelledPairs.load();
        List<String> wrong = new ArrayList<>();
        int[] same = new int[2];
        int[] sameServed = new int[2];
        try (SemanticMatchers m = SemanticMatchers.open(EmbeddingOptions.cacheDir(), 2)) {
            SemanticMatcher matcher = m.matcher(SemanticSettings.defaults(), IndexLoader.NONE, StoreListener.NONE);
            int k = 0;
            for (LabelledPairs.Pair p : set.pairs()) {
                for (int pos = 0; pos < 2; pos++) {
                    String scope = "org:" + pos + ":" + p.id();
                    String a = WindowBoundsBench.place(k, pos, p.a());
                    String b = WindowBoundsBench.place(k, pos, p.b());
                    // Everything before the newest text is the anchor: the same only when the earlier context is.
                    Anchor anchorA = new Anchor(p.contextA().hashCode(), pos);
                    Anchor anchorB = new Anchor(p.contextB().hashCode(), pos);
                    assertThat(matcher.store(scope, anchorA, a, false, p.id()).toCompletableFuture().join()).as(a).isTrue();
                    boolean served = matcher.lookup(new LookupRequest(scope, anchorB, b, false))
                            .toCompletableFuture().join().filter(Match::serve).isPresent();
                    if (p.same()) {
                        same[pos]++;
                        sameServed[pos] += served ? 1 : 0;
                    } else if (served) {
                        wrong.add(p.id() + (pos == 0 ? "@end " : "@middle ") + p.category() + ": " + p.a() + " | " + p.b());
                    }
                }
                k++;
            }
        }
        System.out.printf("long prompts: same-answer served at the end %d / %d, in the middle %d / %d; different-answer served %d%n",
                sameServed[0], same[0], sameServed[1], same[1], wrong.size());
        assertThat(wrong).as("different-answer pairs served").isEmpty();
        for (int pos = 0; pos < 2; pos++) {
            assertThat(sameServed[pos] * 2).as("same-answer hits " + sameServed[pos] + " of " + same[pos] + " at position " + pos)
                    .isGreaterThanOrEqualTo(same[pos]);
        }
    }
}
