package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.TokenWindows;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;

/**
 * One text's windows as the {@link WindowRule} reads them: the new text's (floats, from the verifier) or
 * a stored entry's (quantised {@link EntryWindows}, or its verify vector alone when it is one window).
 * A window whose token count is unknown (a one-window stored entry) counts as {@link TokenWindows#WHOLE}
 * tokens, the most a one-window text holds.
 */
abstract sealed class WindowSide {
    static WindowSide of(WindowedVector text) {
        return new Text(text);
    }

    static WindowSide of(StoredEntry entry) {
        return new Entry(entry);
    }

    abstract int count();

    abstract int dim();

    /** Two longs per window, or null when this side is not hashed (one window). */
    abstract long[] hashes();

    abstract int length(int i);

    /** Adds the pooled sums of windows [from, to) to {@code into}. */
    abstract void addSums(int from, int to, float[] into);

    /** The cosine of window {@code i} of this side with the unit vector {@code q}. */
    abstract double dot(int i, float[] q);

    final int tokens(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += length(i);
        }
        return n;
    }

    /** The cosine of window {@code i} here with window {@code j} of {@code other}; one side is the new text. */
    final double cosine(int i, WindowSide other, int j) {
        return this instanceof Text t ? other.dot(j, t.v.windows()[i]) : dot(i, ((Text) other).v.windows()[j]);
    }

    private static final class Text extends WindowSide {
        private final WindowedVector v;

        Text(WindowedVector v) {
            this.v = v;
        }

        @Override
        int count() {
            return v.count();
        }

        @Override
        int dim() {
            return v.vector().length;
        }

        @Override
        long[] hashes() {
            return v.hashes();
        }

        @Override
        int length(int i) {
            return v.lengths() == null ? TokenWindows.WHOLE : v.lengths()[i];
        }

        @Override
        void addSums(int from, int to, float[] into) {
            for (int i = from; i < to; i++) {
                float[] u = v.windows()[i];
                float f = v.norms()[i];
                for (int d = 0; d < into.length; d++) {
                    into[d] += u[d] * f;
                }
            }
        }

        @Override
        double dot(int i, float[] q) {
            return Vectors.dot(v.windows()[i], q);
        }
    }

    private static final class Entry extends WindowSide {
        private final StoredEntry e;
        private final EntryWindows w;

        Entry(StoredEntry e) {
            this.e = e;
            this.w = e.windows();
        }

        @Override
        int count() {
            return w == null ? 1 : w.count();
        }

        @Override
        int dim() {
            return w == null ? e.verifyVector().length : w.dim();
        }

        @Override
        long[] hashes() {
            return w == null ? null : w.hashes();
        }

        @Override
        int length(int i) {
            return w == null ? TokenWindows.WHOLE : w.lengths()[i];
        }

        @Override
        void addSums(int from, int to, float[] into) {
            if (w == null) {
                float[] u = e.verifyVector(); // one window: its scale does not matter against a span of its own
                for (int d = 0; d < into.length; d++) {
                    into[d] += u[d];
                }
                return;
            }
            for (int i = from; i < to; i++) {
                w.addSum(i, into);
            }
        }

        @Override
        double dot(int i, float[] q) {
            return w == null ? Vectors.dot(e.verifyVector(), q) : w.dot(i, q);
        }
    }
}
