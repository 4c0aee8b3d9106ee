package dev.sluice.route;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link BodyScan#nextQuote}: whole registers of bytes with no quote in them are
 * passed over at once. In its own class so it is only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorQuoteScan {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int WIDTH = SPECIES.length();

    private VectorQuoteScan() {
    }

    /** The first quote in {@code [from, limit)} found a register at a time, or where the scalar scan takes over. */
    static int skip(byte[] b, int from, int limit) {
        int pos = from;
        while (pos + WIDTH <= limit) {
            long bits = ByteVector.fromArray(SPECIES, b, pos).eq((byte) '"').toLong();
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return pos;
    }
}
