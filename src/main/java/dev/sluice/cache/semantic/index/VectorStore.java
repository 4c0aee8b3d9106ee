package dev.sluice.cache.semantic.index;

import java.util.Arrays;

/**
 * Unit vectors of one dimension in one growable float array (ordinal i at {@code i * dim}), with
 * the SIMD dot product the brute-force search and the HNSW scorer share. Not thread-safe: the
 * owning {@link ScopeIndex} guards it with its lock.
 */
final class VectorStore {
    /** The launcher adds the module; a JVM started without it still works, with a scalar loop. */
    static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final int dim;
    private float[] data;
    /** The rows again in int8, for the HNSW search's walk ({@link Int8Rows}). */
    private final Int8Rows codes;
    private int size;

    VectorStore(int dim, int initialCapacity) {
        this.dim = dim;
        this.data = new float[dim * Math.max(1, initialCapacity)];
        this.codes = new Int8Rows(initialCapacity);
    }

    int dim() {
        return dim;
    }

    int size() {
        return size;
    }

    int add(float[] v) {
        if (v.length != dim) {
            throw new IllegalArgumentException("vector dim: " + v.length + " (expected: " + dim + ")");
        }
        if ((size + 1) * dim > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, (size + 1) * dim));
        }
        System.arraycopy(v, 0, data, size * dim, dim);
        codes.set(size, v);
        return size++;
    }

    float[] copy(int ord) {
        return Arrays.copyOfRange(data, ord * dim, ord * dim + dim);
    }

    long ramBytes() {
        return 16L + 4L * data.length + codes.ramBytes(size, dim);
    }

    /** The approximate dot product of a quantized query with row {@code ord} (the graph walk; never a decision). */
    float approxDot(Int8Rows.Code q, int ord) {
        return codes.dot(q, ord);
    }

    /** Dot product of {@code q} with row {@code ord} (cosine, the rows and queries being unit vectors). */
    float dot(float[] q, int ord) {
        return dot(q, 0, data, ord * dim);
    }

    /** Dot product of rows {@code a} and {@code b}, read in place (the HNSW builder's scorer: no copy of either row). */
    float dot(int a, int b) {
        return dot(data, a * dim, data, b * dim);
    }

    private float dot(float[] x, int xBase, float[] y, int yBase) {
        if (SIMD) {
            return SimdDot.dot(x, xBase, y, yBase, dim);
        }
        float s = 0;
        for (int i = 0; i < dim; i++) {
            s += x[xBase + i] * y[yBase + i];
        }
        return s;
    }
}
