package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.index.EntryWindows;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows a lookup embeds, planned against the stored windows before any inference. */
class WindowPlanTest {
    /** A cut with windows of {@code lengths} tokens, hashed by {@code ids} (its ids are positions, unused here). */
    private static WindowedVerifier.Cut cut(long[] ids, int... lengths) {
        int[] ends = new int[lengths.length];
        long[] hashes = new long[2 * lengths.length];
        for (int i = 0, at = 0; i < lengths.length; i++) {
            at += lengths[i];
            ends[i] = at;
            hashes[2 * i] = ids[i];
            hashes[2 * i + 1] = ~ids[i];
        }
        int[] tokens = new int[ends[ends.length - 1]];
        Arrays.setAll(tokens, i -> 1000 + i);
        return new WindowedVerifier.Cut(tokens, ends, hashes);
    }

    private static EntryWindows stored(long[] ids, int... lengths) {
        int dim = 4;
        long[] hashes = new long[2 * ids.length];
        short[] l = new short[ids.length];
        float[] norms = new float[ids.length];
        float[] scales = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            hashes[2 * i] = ids[i];
            hashes[2 * i + 1] = ~ids[i];
            l[i] = (short) lengths[i];
            norms[i] = lengths[i];
            scales[i] = 1f / 127;
        }
        return new EntryWindows(hashes, new byte[dim * ids.length], scales, norms, l);
    }

    @Test
    void aShortAppendedWindowIsJoinedWithTheUnchangedOneBeforeIt() {
        WindowedVerifier.Cut text = cut(new long[] {1, 2, 3, 9}, 20, 15, 18, 9);
        EntryWindows entry = stored(new long[] {1, 2, 3}, 20, 15, 18);
        assertThat(WindowPlan.rows(text, List.of(entry))).containsExactly(20, 35, 62);
        // The joined row is hashed over its ids: it matches no stored window, so the rule sees [3 + 9] against [3].
        long[] hashes = text.rowHashes(new int[] {20, 35, 62});
        assertThat(hashes[4]).isNotIn(3L, 9L);
        assertThat(hashes[0]).isEqualTo(1L);
    }

    @Test
    void aShortInsertionAtTheStartIsJoinedWithTheWindowAfterIt_aLongOneWithNothing() {
        EntryWindows entry = stored(new long[] {1, 2}, 20, 15);
        assertThat(WindowPlan.rows(cut(new long[] {9, 1, 2}, 10, 20, 15), List.of(entry))).containsExactly(30, 45);
        assertThat(WindowPlan.rows(cut(new long[] {9, 1, 2}, 16, 20, 15), List.of(entry))).containsExactly(16, 36, 51);
        assertThat(WindowPlan.rows(cut(new long[] {1, 2, 9}, 20, 15, 16), List.of(entry))).containsExactly(20, 35, 51);
    }

    @Test
    void theChangedWindowsOfAGapAreOneRow_unlessTheGapIsLong() {
        EntryWindows entry = stored(new long[] {1, 2, 3}, 20, 24, 18);
        // 2 re-cut into 7 and 8: one row of 27 tokens between the anchors 1 and 3.
        assertThat(WindowPlan.rows(cut(new long[] {1, 7, 8, 3}, 20, 12, 15, 18), List.of(entry))).containsExactly(20, 47, 65);
        EntryWindows longGap = stored(new long[] {1, 2, 4, 5, 3}, 20, 24, 24, 24, 18);
        assertThat(WindowPlan.rows(cut(new long[] {1, 7, 8, 3}, 20, 12, 15, 18), List.of(longGap)))
                .as("the stored side of the gap holds 72 tokens: window by window").containsExactly(20, 32, 47, 65);
    }

    @Test
    void plannedAgainstTheCandidateSharingMostWindows_andNothingWithoutOne() {
        WindowedVerifier.Cut text = cut(new long[] {1, 2, 3, 9}, 20, 15, 18, 9);
        EntryWindows near = stored(new long[] {1, 2, 3}, 20, 15, 18);
        EntryWindows far = stored(new long[] {1, 5, 6}, 20, 15, 18);
        assertThat(WindowPlan.rows(text, Arrays.asList(null, far, near))).containsExactly(20, 35, 62);
        assertThat(WindowPlan.rows(text, Arrays.asList((EntryWindows) null))).containsExactly(text.ends());
        EntryWindows old = new EntryWindows(near.hashes(), near.codes(), near.scales(), null, null);
        assertThat(WindowPlan.rows(text, List.of(old))).as("windows of an older replica").containsExactly(text.ends());
    }

    @Test
    void rowsMustEndOnWindowEnds() {
        WindowedVerifier.Cut text = cut(new long[] {1, 2}, 20, 15);
        assertThatThrownBy(() -> text.rowHashes(new int[] {21, 35})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> text.rowHashes(new int[] {20})).isInstanceOf(IllegalArgumentException.class);
    }
}
