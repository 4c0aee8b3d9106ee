package dev.sluice.cache.semantic.index;

import dev.sluice.cache.semantic.embed.WindowedVector;
import java.util.Objects;

/**
 * The windows of a stored question that was embedded as more than one window, kept compactly for the
 * matcher's window rule: per window its 128-bit content hash, its unit vector quantised to one signed
 * byte per dimension with a per-window scale (dot products within about 1e-3 of the floats), the length
 * of its pooled sum ({@code norms}, so spans of windows compose as the text's vector does) and its
 * token count ({@code lengths}). About {@code 16 + 4 + 4 + 2 + dim} bytes per window: 410 for MiniLM,
 * ≈ 4 KB for a 200-word question of 10 windows. Questions of one window keep nothing here: their window
 * is the entry's verify vector. {@code norms} and {@code lengths} are null for windows shared by a
 * replica that predates them (entry format 2): those cannot be aligned, and the rule refuses them.
 */
public record EntryWindows(long[] hashes, byte[] codes, float[] scales, float[] norms, short[] lengths) {
    public EntryWindows {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(scales, "scales");
        if (hashes.length != 2 * scales.length || scales.length == 0 || codes.length % scales.length != 0) {
            throw new IllegalArgumentException("windows: " + hashes.length + " hash longs, " + codes.length
                    + " codes, " + scales.length + " scales (expected: 2 longs and dim codes per scale)");
        }
        if ((norms == null) != (lengths == null) || (norms != null && (norms.length != scales.length || lengths.length != scales.length))) {
            throw new IllegalArgumentException("windows: " + scales.length + " scales, norms and lengths "
                    + (norms == null ? "null" : norms.length) + ", " + (lengths == null ? "null" : lengths.length)
                    + " (expected: both null or one per scale)");
        }
    }

    /** The compact windows of {@code v}, or null when it has one window or none hashed. */
    public static EntryWindows of(WindowedVector v) {
        if (v == null || v.hashes() == null || v.count() < 2) {
            return null;
        }
        int dim = v.vector().length;
        byte[] codes = new byte[dim * v.count()];
        float[] scales = new float[v.count()];
        short[] lengths = new short[v.count()];
        for (int w = 0; w < v.count(); w++) {
            float[] u = v.windows()[w];
            float max = 0;
            for (float x : u) {
                max = Math.max(max, Math.abs(x));
            }
            scales[w] = max == 0 ? 0 : max / 127f;
            for (int d = 0; d < dim; d++) {
                codes[w * dim + d] = (byte) (max == 0 ? 0 : Math.round(u[d] / scales[w]));
            }
            lengths[w] = (short) Math.min(Short.MAX_VALUE, v.lengths()[w]);
        }
        return new EntryWindows(v.hashes().clone(), codes, scales, v.norms().clone(), lengths);
    }

    public int count() {
        return scales.length;
    }

    public int dim() {
        return codes.length / scales.length;
    }

    /** False for windows from an older replica (no norms or lengths): they cannot be aligned span by span. */
    public boolean alignable() {
        return norms != null;
    }

    /** The dot product of window {@code w}'s unit vector with {@code q}. */
    public float dot(int w, float[] q) {
        int dim = dim();
        int base = w * dim;
        float s = 0;
        for (int d = 0; d < dim; d++) {
            s += codes[base + d] * q[d];
        }
        return s * scales[w];
    }

    /** Adds window {@code w}'s pooled sum (its unit vector times its norm) to {@code into}; needs {@link #alignable()}. */
    public void addSum(int w, float[] into) {
        int dim = dim();
        int base = w * dim;
        float f = scales[w] * norms[w];
        for (int d = 0; d < dim; d++) {
            into[d] += codes[base + d] * f;
        }
    }

    public boolean hasHash(long hi, long lo) {
        for (int i = 0; i < hashes.length; i += 2) {
            if (hashes[i] == hi && hashes[i + 1] == lo) {
                return true;
            }
        }
        return false;
    }

    public long ramBytes() {
        return 64 + 8L * hashes.length + codes.length + 4L * scales.length
                + (norms == null ? 0 : 32 + 4L * norms.length + 2L * lengths.length);
    }
}
