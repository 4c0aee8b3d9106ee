package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.index.EntryWindows;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which rows a lookup embeds for a long text, planned against the stored entry that shares the most windows
 * with it (before any inference: the windows' hashes are known from the ids). Between two unchanged windows
 * (anchors, see {@link WindowRule}):
 * <ul>
 *   <li>the changed windows of a gap that replaces stored windows are embedded together as one row when the
 *       gap holds at most {@link WindowRule#SPAN_MAX} tokens on each side: a cut moved by the edit splits or
 *       joins windows, and the changed text is then embedded in one piece, as the stored span it replaces was
 *       written;</li>
 *   <li>an inserted span of fewer than {@link #EDIT_MAX} tokens (an appended "Thanks a lot.") is embedded
 *       together with the unchanged window before it (after it, at the start), and so compared with that
 *       window as stored. Embedded alone, a few words are nothing like anything stored; longer insertions
 *       stay alone, and the rule refuses them.</li>
 * </ul>
 * Every other window is a row of its own (from the window cache when it is unchanged). The text's vector
 * is composed of the rows, as it is of windows.
 */
final class WindowPlan {
    /** An inserted span this long or longer is not joined with its neighbour (the rule then refuses it). */
    static final int EDIT_MAX = 16;

    private WindowPlan() {
    }

    /** The text's windowed vector with rows planned against {@code stored} (candidates' windows; nulls ignored). */
    static CompletionStage<Optional<WindowedVector>> verify(WindowedVerifier v, String scope, String text,
                                                          List<EntryWindows> stored, boolean here) {
        WindowedVerifier.Cut cut = v.cut(text);
        if (cut == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return v.verify(scope, cut, rows(cut, stored), here);
    }

    /** The rows' end offsets: the cut's window ends, less those inside a joined row. */
    static int[] rows(WindowedVerifier.Cut cut, List<EntryWindows> stored) {
        int k = cut.count();
        int[][] anchors = new int[0][];
        EntryWindows best = null;
        for (EntryWindows w : stored) {
            if (k > 1 && w != null && w.alignable()) {
                int[][] a = WindowRule.anchors(cut.hashes(), w.hashes());
                if (a.length > anchors.length) {
                    anchors = a;
                    best = w;
                }
            }
        }
        if (best == null) {
            return cut.ends();
        }
        boolean[] join = new boolean[k]; // join[i]: windows i and i + 1 are one row
        int i0 = 0;
        int j0 = 0;
        for (int g = 0; g <= anchors.length; g++) {
            int i1 = g < anchors.length ? anchors[g][0] : k;
            int j1 = g < anchors.length ? anchors[g][1] : best.count();
            if (i0 < i1 && j0 < j1) {
                if (tokens(cut, i0, i1) <= WindowRule.SPAN_MAX && storedTokens(best, j0, j1) <= WindowRule.SPAN_MAX) {
                    joinRange(join, i0, i1 - 1);
                }
            } else if (i0 < i1 && tokens(cut, i0, i1) < EDIT_MAX) {
                if (g > 0 && (i0 - 1 == 0 || !join[i0 - 2])) {
                    joinRange(join, i0 - 1, i1 - 1); // with the anchor before
                } else if (g == 0) {
                    joinRange(join, i0, i1); // at the start: with the anchor after
                }
            }
            i0 = i1 + 1;
            j0 = j1 + 1;
        }
        int[] ends = cut.ends();
        int n = 0;
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) {
            if (!join[i]) {
                rows[n++] = ends[i];
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }

    /** Joins windows from..to (inclusive) into one row. */
    private static void joinRange(boolean[] join, int from, int to) {
        for (int i = from; i < to; i++) {
            join[i] = true;
        }
    }

    private static int tokens(WindowedVerifier.Cut cut, int from, int to) {
        return cut.ends()[to - 1] - (from == 0 ? 0 : cut.ends()[from - 1]);
    }

    private static int storedTokens(EntryWindows w, int from, int to) {
        int n = 0;
        for (int j = from; j < to; j++) {
            n += w.lengths()[j];
        }
        return n;
    }
}
