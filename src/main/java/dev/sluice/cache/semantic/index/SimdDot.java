package dev.sluice.cache.semantic.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot product with the Vector API. Loaded only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (see {@link VectorStore}); otherwise a plain loop serves.
 */
final class SimdDot {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SimdDot() {
    }

    static float dot(float[] q, float[] data, int base, int dim) {
        return dot(q, 0, data, base, dim);
    }

    /** The dot product of {@code dim} floats of {@code a} from {@code aBase} and of {@code b} from {@code bBase}. */
    static float dot(float[] a, int aBase, float[] b, int bBase, int dim) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, aBase + i).fma(FloatVector.fromArray(SPECIES, b, bBase + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += a[aBase + i] * b[bBase + i];
        }
        return s;
    }
}
