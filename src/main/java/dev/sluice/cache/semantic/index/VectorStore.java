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
    private int size;

    VectorStore(int dim, int initialCapacity) {
        this.dim = dim;
        this.data = new float[dim * Math.max(1, initialCapacity)];
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
        return size++;
    }

    float[] copy(int ord) {
        return Arrays.copyOfRange(data, ord * dim, ord * dim + dim);
    }

    void copyInto(int ord, float[] out) {
        System.arraycopy(data, ord * dim, out, 0, dim);
    }

    long ramBytes() {
        return 16L + 4L * data.length;
    }

    /** Dot product of {@code q} with row {@code ord} (cosine, the rows and queries being unit vectors). */
    float dot(float[] q, int ord) {
        int base = ord * dim;
        if (SIMD) {
            return SimdDot.dot(q, data, base, dim);
        }
        float s = 0;
        for (int i = 0; i < dim; i++) {
            s += q[i] * data[base + i];
        }
        return s;
    }
}
