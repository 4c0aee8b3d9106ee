package dev.sluice.guard.engine;

import dev.sluice.guard.ScanLimitException;
import dev.sluice.guard.detect.Escapes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link JsonStrings#read}: copies a string's bytes a register at a time while a register holds
 * no quote and no backslash, and decodes one-letter escapes on the way. The register that holds one is copied whole
 * too (as the eight-byte step does; the bytes from the quote or backslash on are overwritten later). In its own
 * class so it is only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorStrings {
    /** The widest register the CPU has (64 bytes with AVX-512), at most 64 bytes so a mask fits a {@code long}. */
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() <= 64
            ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_512;
    private static final int WIDTH = SPECIES.length();

    private VectorStrings() {
    }

    /**
     * Copies and decodes the string content at {@code b[p, end)} into {@code d} from {@code d.length} on, a register at a
     * time, and returns the offset in {@code b} of the first quote or escape it leaves to the caller, or the offset where
     * fewer than a register of bytes is left before {@code end}; {@code d.length} is then the output offset. One-letter
     * escapes (a Read result's line ends in one, {@code \\n}) are decoded and recorded here as {@link JsonStrings#read}
     * would, and the copy goes on after them: a line costs one register, not a return to the scalar loops. {@code d}
     * must have room for a register more than the bytes before {@code end}.
     */
    static int copy(byte[] b, int p, int end, Decoded d, IntArray escapes, int segmentStart) {
        byte[] out = d.bytes;
        int o = d.length;
        int q = p;
        while (q + WIDTH <= end) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, q);
            v.intoArray(out, o);
            long found = v.compare(VectorOperators.EQ, (byte) '"').or(v.compare(VectorOperators.EQ, (byte) '\\')).toLong();
            if (found == 0) {
                q += WIDTH;
                o += WIDTH;
                continue;
            }
            int k = Long.numberOfTrailingZeros(found);
            q += k;
            o += k;
            int decoded = b[q] == '\\' && q + 1 < end ? Escapes.oneLetter(b[q + 1]) : -1;
            if (decoded < 0) {
                break;
            }
            if (escapes.size() >= JsonStrings.MAX_ESCAPES) {
                // The bound of JsonStrings.read, here too: a string of nothing but \n with a plain tail never reached it.
                throw new ScanLimitException("escapes", JsonStrings.MAX_ESCAPES);
            }
            d.length = o;
            d.escape(escapes.size(), segmentStart, 2, 1);
            escapes.add(q);
            out[o++] = (byte) decoded;
            q += 2;
        }
        d.length = o;
        return q;
    }
}
