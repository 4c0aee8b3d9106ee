package dev.sluice.wire;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link StringScan}, in its own class so it is only loaded when the
 * {@code jdk.incubator.vector} module is present. Signed bytes make one compare serve two tests:
 * {@code < 0x20} is true for control characters and for every byte with its high bit set.
 */
final class VectorStringScan {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int WIDTH = SPECIES.length();

    private VectorStringScan() {
    }

    /** As {@link StringScan#next}: whole vectors, then byte by byte over the last few bytes of the body. */
    static int next(byte[] b, int from, int to) {
        int pos = from;
        while (pos + WIDTH <= to) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, pos);
            long bits = v.eq((byte) '"').or(v.eq((byte) '\\')).or(v.lt((byte) 0x20)).toLong();
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return StringScan.scalarTail(b, pos, to);
    }
}
