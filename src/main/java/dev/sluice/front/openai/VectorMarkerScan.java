package dev.sluice.front.openai;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link MarkerScan}, in its own class so it is only loaded when {@code jdk.incubator.vector} is
 * present: a register of bytes is checked for the anchor {@code _} per step, together with the quote that opens the
 * name six bytes before it, so text with many underscores (snake_case code) leaves few candidates to compare.
 */
final class VectorMarkerScan {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int WIDTH = SPECIES.length();

    private VectorMarkerScan() {
    }

    /**
     * Scans whole registers of anchor positions from {@code from}; -1 when the name was found, else the first anchor
     * position the narrower scan must still look at.
     */
    static int scan(byte[] json, int from, int last) {
        int pos = from;
        while (pos + WIDTH <= last + 1) {
            ByteVector anchors = ByteVector.fromArray(SPECIES, json, pos);
            ByteVector quotes = ByteVector.fromArray(SPECIES, json, pos - MarkerScan.ANCHOR);
            long bits = anchors.eq((byte) '_').and(quotes.eq((byte) '"')).toLong();
            while (bits != 0) {
                if (MarkerScan.matchAt(json, pos + Long.numberOfTrailingZeros(bits))) {
                    return -1;
                }
                bits &= bits - 1;
            }
            pos += WIDTH;
        }
        return pos;
    }
}
