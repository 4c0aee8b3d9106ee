package dev.sluice.cache.semantic.embed;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code acc[d] += w * row[d]} with the Vector API, a multiply then an add per lane (no fused multiply-add), so each
 * element rounds exactly as the scalar loop does and the static vectors stay bit-identical. Loaded only when the JVM
 * was started with {@code --add-modules jdk.incubator.vector} (see {@link StaticTable}); C2 does not vectorise the
 * scalar loop here, which cost a 200-word miss about 40 µs of its ~250 µs (h-sem13).
 */
final class SimdAxpy {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SimdAxpy() {
    }

    static void add(float w, float[] rows, int base, float[] acc, int dim) {
        int d = 0;
        int bound = SPECIES.loopBound(dim);
        for (; d < bound; d += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, acc, d).add(FloatVector.fromArray(SPECIES, rows, base + d).mul(w)).intoArray(acc, d);
        }
        for (; d < dim; d++) {
            acc[d] += w * rows[base + d];
        }
    }
}
