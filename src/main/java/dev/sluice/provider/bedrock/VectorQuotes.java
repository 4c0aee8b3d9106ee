package dev.sluice.provider.bedrock;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link TopLevelFields.Valid}'s string skip, in its own class so it is only loaded when the
 * {@code jdk.incubator.vector} module is present: a whole register of bytes is checked for a quote or a backslash
 * per step (the only bytes that matter inside a string already known to be valid).
 */
final class VectorQuotes {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int WIDTH = SPECIES.length();

    private VectorQuotes() {
    }

    /** Advances over whole vectors holding no quote or backslash; returns where the narrower scan takes over. */
    static int skip(byte[] b, int from) {
        int pos = from;
        while (pos + WIDTH <= b.length) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, pos);
            long bits = v.eq((byte) '"').or(v.eq((byte) '\\')).toLong();
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return pos;
    }
}
