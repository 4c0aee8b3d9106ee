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
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, q, i).fma(FloatVector.fromArray(SPECIES, data, base + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += q[i] * data[base + i];
        }
        return s;
    }
}
