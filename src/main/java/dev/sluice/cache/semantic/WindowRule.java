package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.TokenWindows;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;

/**
 * The window rule: a long near-duplicate may differ from the stored question only where each changed
 * span, compared with the span it replaces, still reaches the threshold. A mean over a 200-word turn
 * moves little when one sentence changes meaning, so the whole-text similarity alone is not enough.
 * <ol>
 *   <li>Anchors: the longest common subsequence of the two texts' window hashes, i.e. the windows left
 *       unchanged, in order. Between two neighbouring anchors (or an anchor and an end) lies one gap: a
 *       span of new windows and the span of stored windows it replaces. Identical windows pass by hash.</li>
 *   <li>A gap with windows on both sides: the span's pooled sums added up (as the text's vector is
 *       composed) on each side, compared by cosine. This is where a cut that moved near an edit is
 *       harmless: the re-cut windows together are compared with the stored ones together.</li>
 *   <li>A gap with windows on one side only (an insertion or a deletion) is refused. The matcher avoids
 *       that for a short insertion ({@link WindowPlan}): it embeds the inserted window together with the
 *       unchanged one before it, so "that window + Thanks a lot." is compared with that window as stored.</li>
 *   <li>A gap with more than {@link #SPAN_MAX} tokens on a side (for example no anchor at all between two
 *       long texts) is not compared as one mean: every window in it must reach the threshold against some
 *       window of the other side of the same gap.</li>
 * </ol>
 * So no comparison averages over more than 64 tokens, the most a short question is averaged over, and a
 * changed window is compared only with the span in its place: a sentence replaced by a copy of another
 * sentence of the same turn is a changed span. For two one-window texts the rule is the whole-text
 * comparison, so short questions are decided exactly as before. Windows shared by an older replica
 * without norms and lengths cannot be aligned: refused (a miss, never a wrong hit).
 */
final class WindowRule {
    /** A gap longer than this on either side is checked window by window, not as one mean. */
    static final int SPAN_MAX = TokenWindows.WHOLE;

    private WindowRule() {
    }

    /** True when every changed span of {@code text} reaches {@code t} against the span of {@code entry} it replaces. */
    static boolean agree(WindowedVector text, StoredEntry entry, double t) {
        EntryWindows stored = entry.windows();
        if (text.count() == 1 && stored == null) {
            return true; // one window each: the whole-text comparison already decided
        }
        if (stored != null && !stored.alignable()) {
            return false;
        }
        WindowSide a = WindowSide.of(text);
        WindowSide b = WindowSide.of(entry);
        int[][] anchors = anchors(a.hashes(), b.hashes());
        int i0 = 0;
        int j0 = 0;
        for (int k = 0; k <= anchors.length; k++) {
            int i1 = k < anchors.length ? anchors[k][0] : a.count();
            int j1 = k < anchors.length ? anchors[k][1] : b.count();
            if ((i0 < i1 || j0 < j1) && !gapAgrees(a, b, i0, i1, j0, j1, t)) {
                return false;
            }
            i0 = i1 + 1;
            j0 = j1 + 1;
        }
        return true;
    }

    private static boolean gapAgrees(WindowSide a, WindowSide b, int i0, int i1, int j0, int j1, double t) {
        if (i0 == i1 || j0 == j1) {
            return false;
        }
        if (a.tokens(i0, i1) > SPAN_MAX || b.tokens(j0, j1) > SPAN_MAX) {
            return eachWindowAgrees(a, b, i0, i1, j0, j1, t) && eachWindowAgrees(b, a, j0, j1, i0, i1, t);
        }
        return spansAgree(a, b, i0, i1, j0, j1, t);
    }

    private static boolean spansAgree(WindowSide a, WindowSide b, int i0, int i1, int j0, int j1, double t) {
        float[] x = new float[a.dim()];
        float[] y = new float[b.dim()];
        a.addSums(i0, i1, x);
        b.addSums(j0, j1, y);
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int d = 0; d < x.length; d++) {
            xy += x[d] * y[d];
            xx += x[d] * x[d];
            yy += y[d] * y[d];
        }
        return xx > 0 && yy > 0 && xy / Math.sqrt(xx * yy) >= t;
    }

    /** Every window of {@code a}'s span reaches {@code t} against some window of {@code b}'s span. */
    private static boolean eachWindowAgrees(WindowSide a, WindowSide b, int i0, int i1, int j0, int j1, double t) {
        for (int i = i0; i < i1; i++) {
            double closest = -1;
            for (int j = j0; j < j1 && closest < t; j++) {
                closest = Math.max(closest, a.cosine(i, b, j));
            }
            if (closest < t) {
                return false;
            }
        }
        return true;
    }

    /**
     * The matched (window of {@code a}, window of {@code b}) index pairs of the longest common subsequence of two
     * hash lists (two longs per window), in order; none when either is null. At most 33 windows a side (256
     * tokens, 8 at least per window but the last), so the table is small.
     */
    static int[][] anchors(long[] a, long[] b) {
        if (a == null || b == null) {
            return new int[0][];
        }
        int n = a.length / 2;
        int m = b.length / 2;
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = same(a, i, b, j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int[][] out = new int[lcs[0][0]][];
        for (int i = 0, j = 0, k = 0; i < n && j < m; ) {
            if (same(a, i, b, j)) {
                out[k++] = new int[] {i, j};
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    private static boolean same(long[] a, int i, long[] b, int j) {
        return a[2 * i] == b[2 * j] && a[2 * i + 1] == b[2 * j + 1];
    }
}
