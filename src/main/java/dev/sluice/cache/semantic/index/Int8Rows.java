package dev.sluice.cache.semantic.index;

import java.util.Arrays;
import org.apache.lucene.util.VectorUtil;

/**
 * An int8 copy of a {@link VectorStore}'s rows, for the HNSW search only. A lookup over 100,000 entries visits a few
 * hundred rows scattered over 150 MB of floats, and reading them (not multiplying them) was a third of a miss's CPU
 * (h-sem13); the same rows in int8 are a quarter of the bytes. Each row keeps its own step (its largest component
 * / 127), so a unit vector's dot products are off by about 0.001 — enough to order the graph's walk, never to decide:
 * the search rescores what it returns with the floats. Not thread-safe: the owning store's lock guards it.
 */
final class Int8Rows {
    private byte[][] rows;
    private float[] steps;

    Int8Rows(int capacity) {
        rows = new byte[Math.max(1, capacity)][];
        steps = new float[rows.length];
    }

    /** A vector in int8: {@code v[i] ≈ codes[i] * step}. */
    record Code(byte[] codes, float step) {
    }

    static Code quantize(float[] v) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        byte[] codes = new byte[v.length];
        if (max == 0 || !Float.isFinite(max)) {
            return new Code(codes, 0);
        }
        float step = max / 127;
        for (int i = 0; i < v.length; i++) {
            codes[i] = (byte) Math.max(-127, Math.min(127, Math.round(v[i] / step)));
        }
        return new Code(codes, step);
    }

    void set(int ord, float[] v) {
        if (ord >= rows.length) {
            int capacity = Math.max(rows.length * 2, ord + 1);
            rows = Arrays.copyOf(rows, capacity);
            steps = Arrays.copyOf(steps, capacity);
        }
        Code c = quantize(v);
        rows[ord] = c.codes();
        steps[ord] = c.step();
    }

    /** The approximate dot product of {@code q} with row {@code ord}. */
    float dot(Code q, int ord) {
        return VectorUtil.dotProduct(q.codes(), rows[ord]) * q.step() * steps[ord];
    }

    long ramBytes(int size, int dim) {
        return 32L + 8L * rows.length + 4L * steps.length + size * (16L + dim);
    }
}
