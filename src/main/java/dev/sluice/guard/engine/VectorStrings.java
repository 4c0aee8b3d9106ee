package dev.sluice.guard.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link JsonStrings#read}: copies a string's bytes a register at a time while a register holds
 * no quote and no backslash. The register that holds one is copied whole too (as the eight-byte step does; the
 * bytes from the quote or backslash on are overwritten later). In its own class so it is only loaded when
 * {@code jdk.incubator.vector} is present.
 */
final class VectorStrings {
    /** The widest register the CPU has (64 bytes with AVX-512), at most 64 bytes so a mask fits a {@code long}. */
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() <= 64
            ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_512;
    private static final int WIDTH = SPECIES.length();

    private VectorStrings() {
    }

    /**
     * Copies {@code b} from {@code p} to {@code out} from {@code o} and returns the offset in {@code b} of the first
     * quote or backslash, or the offset where fewer than a register of bytes is left before {@code end}. The caller
     * moves its output offset by as much as the returned offset moved from {@code p}. {@code out} must have room for
     * a register more than the bytes before {@code end}.
     */
    static int copy(byte[] b, int p, int end, byte[] out, int o) {
        int q = p;
        while (q + WIDTH <= end) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, q);
            v.intoArray(out, o + (q - p));
            long found = v.compare(VectorOperators.EQ, (byte) '"').or(v.compare(VectorOperators.EQ, (byte) '\\')).toLong();
            if (found != 0) {
                return q + Long.numberOfTrailingZeros(found);
            }
            q += WIDTH;
        }
        return q;
    }
}
