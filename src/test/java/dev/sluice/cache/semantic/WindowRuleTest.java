package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The window rule on made-up windows (no model): alignment by unchanged windows, spans against the spans they replace. */
class WindowRuleTest {
    private static final int DIM = 384;
    private static final double T = 0.92;
    private static final Random RANDOM = new Random(17);

    /** A made-up window: a hash id, a direction, a pooled-sum norm and a token count. */
    private record W(long id, float[] unit, float norm, int tokens) {
        static W random(long id, int tokens) {
            return new W(id, randomUnit(), tokens, tokens);
        }

        /** Same direction, other hash: re-cut or re-embedded text that means the same. */
        W rehashed(long newId) {
            return new W(newId, unit, norm, tokens);
        }
    }

    private static float[] randomUnit() {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) RANDOM.nextGaussian();
        }
        return Vectors.normalize(v);
    }

    private static WindowedVector text(W... ws) {
        long[] hashes = new long[2 * ws.length];
        float[][] units = new float[ws.length][];
        float[] norms = new float[ws.length];
        int[] lengths = new int[ws.length];
        float[] total = new float[DIM];
        for (int i = 0; i < ws.length; i++) {
            hashes[2 * i] = ws[i].id();
            hashes[2 * i + 1] = ~ws[i].id();
            units[i] = ws[i].unit();
            norms[i] = ws[i].norm();
            lengths[i] = ws[i].tokens();
            for (int d = 0; d < DIM; d++) {
                total[d] += units[i][d] * norms[i];
            }
        }
        return new WindowedVector(Vectors.normalize(total), hashes, units, norms, lengths);
    }

    private static StoredEntry stored(W... ws) {
        WindowedVector v = text(ws);
        return new StoredEntry("E", CodeIdentity.of("q"), v.vector(), 0, EntryWindows.of(v));
    }

    @Test
    void anchorsAreTheLongestCommonSubsequenceOfHashes() {
        long[] a = {1, 1, 2, 2, 9, 9, 3, 3, 4, 4};
        long[] b = {1, 1, 3, 3, 7, 7, 4, 4};
        assertThat(WindowRule.anchors(a, b)).isDeepEqualTo(new int[][] {{0, 0}, {3, 1}, {4, 3}});
        assertThat(WindowRule.anchors(a, null)).isEmpty();
        // A repeated window is matched in order, once.
        assertThat(WindowRule.anchors(new long[] {5, 5, 5, 5}, new long[] {5, 5})).hasNumberOfRows(1);
    }

    @Test
    void identicalTextsAgree_andAShortQuestionIsTheWholeTextComparison() {
        W a = W.random(1, 20);
        W b = W.random(2, 20);
        assertThat(WindowRule.agree(text(a, b), stored(a, b), T)).isTrue();
        WindowedVector one = WindowedVector.single(randomUnit());
        assertThat(WindowRule.agree(one, new StoredEntry("E", CodeIdentity.of("q"), randomUnit(), 0), T)).isTrue();
    }

    @Test
    void aRecutSpanIsComparedWithTheSpanItReplaces() {
        W a = W.random(1, 20);
        W b = W.random(2, 24);
        W c = W.random(3, 20);
        // b re-cut into two windows whose pooled sums add up to b's: same meaning, no hash in common.
        W b1 = new W(20, b.unit(), 10, 10);
        W b2 = new W(21, b.unit(), 14, 14);
        assertThat(WindowRule.agree(text(a, b1, b2, c), stored(a, b, c), T)).isTrue();
        // The same split with one half saying something else: the span is far from b.
        W other = W.random(22, 14);
        assertThat(WindowRule.agree(text(a, b1, other, c), stored(a, b, c), T)).isFalse();
    }

    @Test
    void aSentenceReplacedByACopyOfAnotherIsAChangedSpan() {
        W a = W.random(1, 20);
        W b = W.random(2, 20);
        W c = W.random(3, 20);
        W d = W.random(4, 20);
        // b replaced by the words of d, re-embedded (another hash, d's direction): close to a stored window, not to b.
        assertThat(WindowRule.agree(text(a, d.rehashed(40), c, d), stored(a, b, c, d), T)).isFalse();
    }

    @Test
    void insertionsAndDeletionsAreRefused_theMatcherJoinsShortInsertionsBeforehand() {
        W a = W.random(1, 20);
        W b = W.random(2, 20);
        W thanks = W.random(3, 9);
        assertThat(WindowRule.agree(text(a, b, thanks), stored(a, b), T)).as("appended").isFalse();
        assertThat(WindowRule.agree(text(a, b), stored(a, b, thanks), T)).as("deleted").isFalse();
        assertThat(WindowRule.agree(text(a, thanks, b), stored(a, b), T)).as("inserted").isFalse();
        // What WindowPlan makes of the appended one: b and thanks embedded as one row, close to b.
        float[] joined = b.unit().clone();
        for (int d = 0; d < DIM; d++) {
            joined[d] += 0.2f * thanks.unit()[d];
        }
        W bThanks = new W(23, Vectors.normalize(joined), 29, 29);
        assertThat(WindowRule.agree(text(a, bThanks), stored(a, b), T)).isTrue();
    }

    @Test
    void aGapOverSixtyFourTokensIsCheckedWindowByWindow() {
        W[] s = new W[6];
        W[] q = new W[6];
        for (int i = 0; i < 6; i++) {
            s[i] = W.random(i, i == 3 ? 8 : 20);
            q[i] = s[i].rehashed(100 + i); // every window re-embedded: no anchor, 108 tokens a side
        }
        assertThat(WindowRule.agree(text(q), stored(s), T)).isTrue();
        // The short window changes meaning: the mean over the whole gap hides it (100 of its 108 tokens agree).
        q[3] = W.random(103, 8);
        WindowedVector changed = text(q);
        assertThat((double) Vectors.dot(changed.vector(), stored(s).verifyVector())).isGreaterThan(T);
        assertThat(WindowRule.agree(changed, stored(s), T)).isFalse();
    }

    @Test
    void windowsFromAnOlderReplicaCannotBeAlignedAndAreRefused() {
        W a = W.random(1, 20);
        W b = W.random(2, 20);
        EntryWindows w = stored(a, b).windows();
        EntryWindows old = new EntryWindows(w.hashes(), w.codes(), w.scales(), null, null);
        StoredEntry e = new StoredEntry("E", CodeIdentity.of("q"), text(a, b).vector(), 0, old);
        assertThat(old.alignable()).isFalse();
        assertThat(WindowRule.agree(text(a, b), e, T)).isFalse();
    }

    @Test
    void aLongTextAgainstAOneWindowEntryIsCheckedWindowByWindow() {
        W a = W.random(1, 40);
        W b = W.random(2, 40);
        StoredEntry shortEntry = new StoredEntry("E", CodeIdentity.of("q"), a.unit(), 0);
        assertThat(WindowRule.agree(text(a.rehashed(9), b), shortEntry, T)).isFalse();
        assertThat(WindowRule.agree(text(a.rehashed(9), a.rehashed(10)), shortEntry, T)).isTrue();
    }
}
