package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.index.EntryWindows;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
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
    void rowsMustAscendAndEndAtTheTextsEnd() {
        WindowedVerifier.Cut text = cut(new long[] {1, 2}, 20, 15);
        assertThatThrownBy(() -> text.rowHashes(new int[] {21, 21, 35})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> text.rowHashes(new int[] {20})).isInstanceOf(IllegalArgumentException.class);
        assertThat(text.rowHashes(new int[] {21, 35})).as("a row off the cut is hashed over its ids").hasSize(4);
    }

    /** SHA-256 of the ids as big-endian ints, first 128 bits: how windows are hashed. */
    private static long[] realHashes(int[] ids, int... ends) throws Exception {
        long[] out = new long[2 * ends.length];
        for (int w = 0, start = 0; w < ends.length; start = ends[w], w++) {
            ByteBuffer b = ByteBuffer.allocate(4 * (ends[w] - start));
            for (int i = start; i < ends[w]; i++) {
                b.putInt(ids[i]);
            }
            ByteBuffer d = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(b.array()));
            out[2 * w] = d.getLong();
            out[2 * w + 1] = d.getLong();
        }
        return out;
    }

    @Test
    void storedWindowsWhoseIdsReappearInARecutGapAreUnchangedRows_onlyTheRestRuns() throws Exception {
        // Stored: A (20 tokens), B (15), C (18). Asked: the same ids and one more at the end, but the edit moved
        // the cuts: the new text is cut A | B+C+1, so only A matches by hash.
        int[] ids = new int[54];
        Arrays.setAll(ids, i -> 2000 + 7 * i);
        long[] storedHashes = realHashes(ids, 20, 35, 53);
        EntryWindows entry = new EntryWindows(storedHashes, new byte[4 * 3], new float[] {1, 1, 1},
                new float[] {1, 1, 1}, new short[] {20, 15, 18});
        WindowedVerifier.Cut text = new WindowedVerifier.Cut(ids, new int[] {20, 54}, realHashes(ids, 20, 54));
        // B and C are found at their stored lengths in the gap: B a row of its own (from the cache), the one new
        // token joined with C as an appended insertion. The transformer runs 19 tokens, not the gap's 34.
        int[] rows = WindowPlan.rows(text, List.of(entry));
        assertThat(rows).containsExactly(20, 35, 54);
        long[] h = text.rowHashes(rows);
        assertThat(new long[] {h[2], h[3]}).containsExactly(storedHashes[2], storedHashes[3]);
        assertThat(WindowRule.anchors(h, storedHashes)).hasDimensions(2, 2);

        // Re-anchored from the end too: a new token in front of B is joined with A, C stays as stored.
        int[] inserted = new int[54];
        for (int i = 0, j = 0; i < 54; i++) {
            inserted[i] = i == 20 ? 9999 : ids[j++];
        }
        WindowedVerifier.Cut front = new WindowedVerifier.Cut(inserted, new int[] {20, 54}, realHashes(inserted, 20, 54));
        assertThat(WindowPlan.rows(front, List.of(entry))).containsExactly(21, 36, 54);
    }
}
