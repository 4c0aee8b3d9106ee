package dev.sluice.guard.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link Prefilter}: turns bytes into the automaton's byte classes a 64-byte register at a time,
 * so that its chains load a byte's class directly instead of the byte and then the class. The 256-entry class
 * table is held in four registers; a two-register lookup ({@code selectFrom} of two vectors, one {@code VPERMI2B}
 * with AVX-512 VBMI) takes the low seven bits of each byte as its index, once into the table's lower half and once
 * into its upper half, and the byte's top bit picks one of the two. Only where that is an instruction ({@link #AVAILABLE});
 * in its own class so it is only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorClasses {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_512;
    /** True when the lookup is one instruction here ({@link BytePermute}). */
    static final boolean AVAILABLE = BytePermute.AVAILABLE;

    private final ByteVector low0;
    private final ByteVector low1;
    private final ByteVector high0;
    private final ByteVector high1;

    VectorClasses(byte[] classOf) {
        low0 = ByteVector.fromArray(SPECIES, classOf, 0);
        low1 = ByteVector.fromArray(SPECIES, classOf, 64);
        high0 = ByteVector.fromArray(SPECIES, classOf, 128);
        high1 = ByteVector.fromArray(SPECIES, classOf, 192);
    }

    /**
     * Writes the class of each byte of {@code b[0, n)} to {@code out[0, n)}, a register at a time, and returns how
     * many it wrote (a multiple of 64, the rest is the caller's). {@code selectFrom} of two registers wraps each index
     * into [0, 128), which is the low seven bits.
     */
    int classify(byte[] b, int n, byte[] out) {
        int i = 0;
        for (; i + 64 <= n; i += 64) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, i);
            ByteVector low = v.selectFrom(low0, low1);
            ByteVector high = v.selectFrom(high0, high1);
            low.blend(high, v.compare(VectorOperators.LT, (byte) 0)).intoArray(out, i);
        }
        return i;
    }
}
