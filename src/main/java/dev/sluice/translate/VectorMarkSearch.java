package dev.sluice.translate;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MarkSearch} a vector register at a time: the lanes where the anchor pair stands are found with two loads one
 * byte apart and one compare each, and only those are verified. Loaded only when the Vector API module is present.
 */
final class VectorMarkSearch {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    /** Lanes per step; at most 64, so a mask fits a long. */
    private static final int WIDTH = Math.min(SPECIES.length(), 64);

    private VectorMarkSearch() {
    }

    static int indexOf(byte[] src, int length, byte[] pattern, int anchor) {
        int n = pattern.length;
        byte first = pattern[anchor];
        byte second = pattern[anchor + 1];
        int q = anchor;
        if (WIDTH == SPECIES.length()) {
            for (; q + WIDTH + 1 <= length; q += WIDTH) {
                long m = ByteVector.fromArray(SPECIES, src, q).eq(first)
                        .and(ByteVector.fromArray(SPECIES, src, q + 1).eq(second)).toLong();
                while (m != 0) {
                    int at = q + Long.numberOfTrailingZeros(m) - anchor;
                    if (at + n <= length && MarkSearch.matches(src, at, pattern)) {
                        return at;
                    }
                    m &= m - 1;
                }
            }
        }
        return MarkSearch.from(src, length, pattern, anchor, q);
    }
}
