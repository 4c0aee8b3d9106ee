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
 * Before either, a gap is re-anchored: stored windows whose ids reappear, at their stored lengths, at the start or
 * the end of the gap are unchanged rows (the edit only moved the new text's cuts around them), so what is joined and
 * run is only the span between them. Every other window is a row of its own (from the window cache when it is
 * unchanged). The text's vector is composed of the rows, as it is of windows.
 */
final class WindowPlan {
    /** An inserted span this long or longer is not joined with its neighbour (the rule then refuses it). */
    static final int EDIT_MAX = 16;

    private WindowPlan() {
    }

    /** The text's windowed vector with rows planned against {@code stored} (candidates' windows; nulls ignored). */
    static CompletionStage<Optional<WindowedVector>> verify(WindowedVerifier v, String scope, String text,
                                                          List<EntryWindows> stored, boolean here) {
        return verify(v, scope, v.cut(text), stored, here);
    }

    /** As above, for a text already cut (null: it cannot be compared). */
    static CompletionStage<Optional<WindowedVector>> verify(WindowedVerifier v, String scope, WindowedVerifier.Cut cut,
                                                          List<EntryWindows> stored, boolean here) {
        if (cut == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return v.verify(scope, cut, rows(cut, stored), here);
    }

    /** The rows' end offsets (ascending token offsets, the last the text's end). */
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
        Rows rows = new Rows(cut, best);
        int i0 = 0;
        int j0 = 0;
        for (int g = 0; g <= anchors.length; g++) {
            int i1 = g < anchors.length ? anchors[g][0] : k;
            int j1 = g < anchors.length ? anchors[g][1] : best.count();
            if (i0 < i1 || j0 < j1) {
                rows.gap(start(cut, i0), start(cut, i1), j0, j1);
            }
            if (g < anchors.length) {
                rows.unchanged(cut.ends()[i1]);
            }
            i0 = i1 + 1;
            j0 = j1 + 1;
        }
        return rows.ends();
    }

    private static int start(WindowedVerifier.Cut cut, int window) {
        return window == 0 ? 0 : cut.ends()[window - 1];
    }

    /**
     * The rows being planned. A gap's first step re-anchors it: stored windows whose ids reappear, at the stored
     * lengths, at the start or the end of the new span are unchanged although the new text's cuts moved around them
     * (an edit moves cuts up to 15 tokens away), so they are rows of their own, cached, and the span left between
     * them is the one that changed. That span, not the whole re-cut gap, is what the transformer runs.
     */
    private static final class Rows {
        private final WindowedVerifier.Cut cut;
        private final EntryWindows best;
        private final int[] ends;
        private int n;
        /** The last row is an unchanged window on its own, so a short insertion after it may join it. */
        private boolean lastJoinable;
        /** A short insertion at the very start waits to be joined with the row after it. */
        private boolean joinNext;

        Rows(WindowedVerifier.Cut cut, EntryWindows best) {
            this.cut = cut;
            this.best = best;
            this.ends = new int[cut.ends()[cut.count() - 1]];
        }

        void unchanged(int end) {
            add(end, !joinNext);
        }

        /** New tokens {@code s..e} replacing stored windows {@code j0..j1}. */
        void gap(int s, int e, int j0, int j1) {
            int[] tail = new int[j1 - j0];
            int tails = 0;
            while (j0 < j1 && e - s >= best.lengths()[j0] && cut.spanHashes(s, s + best.lengths()[j0],
                    best.hashes()[2 * j0], best.hashes()[2 * j0 + 1])) {
                s += best.lengths()[j0++];
                unchanged(s);
            }
            while (j0 < j1 && e - s >= best.lengths()[j1 - 1] && cut.spanHashes(e - best.lengths()[j1 - 1], e,
                    best.hashes()[2 * (j1 - 1)], best.hashes()[2 * j1 - 1])) {
                tail[tails++] = e;
                e -= best.lengths()[--j1];
            }
            if (s < e) {
                changed(s, e, j0, j1);
            }
            for (int t = tails - 1; t >= 0; t--) {
                unchanged(tail[t]);
            }
        }

        private void changed(int s, int e, int j0, int j1) {
            if (j0 < j1) {
                if (e - s <= WindowRule.SPAN_MAX && storedTokens(best, j0, j1) <= WindowRule.SPAN_MAX) {
                    add(e, false); // one row: the changed text embedded in one piece, as the stored span was written
                } else {
                    windows(s, e);
                }
            } else if (e - s < EDIT_MAX && n > 0 && lastJoinable) {
                n--; // with the unchanged window before it
                add(e, false);
            } else if (e - s < EDIT_MAX && n == 0) {
                joinNext = true; // at the start: with the unchanged window after it
            } else {
                windows(s, e);
            }
        }

        /** The new cut's windows within {@code s..e}, each a row (the rule checks them one by one or refuses them). */
        private void windows(int s, int e) {
            for (int end : cut.ends()) {
                if (end > s && end < e) {
                    add(end, false);
                }
            }
            add(e, false);
        }

        private void add(int end, boolean joinable) {
            ends[n++] = end;
            lastJoinable = joinable;
            joinNext = false;
        }

        int[] ends() {
            return java.util.Arrays.copyOf(ends, n);
        }
    }

    private static int storedTokens(EntryWindows w, int from, int to) {
        int n = 0;
        for (int j = from; j < to; j++) {
            n += w.lengths()[j];
        }
        return n;
    }
}
