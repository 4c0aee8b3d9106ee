package dev.sluice.guard.engine;

import dev.sluice.guard.detect.Confusables;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link DisguiseSearch}: skips registers where no byte pair can start a disguising character, a lead
 * byte (0xC2, 0xCD, 0xE1, 0xE2 or 0xEF) followed by one of the nine second bytes they use there, or a look-alike of a
 * letter (a lead of {@link Confusables#LEADS} and any continuation byte). Pairs are not matched
 * lead for lead (0xC2 0x80 passes), so it reports a superset; the scalar test decides.
 *
 * <p>Where a 128-entry byte lookup is one instruction ({@link BytePermute}), each byte's low seven bits are looked up in
 * a table of lead bytes and the next byte's in a table of second bytes, kept only where both have the top bit set: two
 * loads, two lookups, and two registers a step (25 to 22 µs on the benchmark's 685 KB of strings, where a Read
 * result's {@code →} on every line puts a lead byte in most registers). Elsewhere the same masks come from compares.
 * (Done inside the walk's copy of each string instead, where the bytes are in a register already, it cost the walk
 * 45 to 100 µs more: measured and left.) In its own class so it is only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorDisguises {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() <= 64
            ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_512;
    private static final int WIDTH = SPECIES.length();
    private static final long LANES = WIDTH == 64 ? -1L : (1L << WIDTH) - 1;
    private static final boolean PERMUTE = BytePermute.AVAILABLE && WIDTH == 64;
    /** By a byte's low seven bits, for the bytes with the top bit set: -1 for a lead byte, and for a second byte. */
    private static final byte[] LEADS = new byte[128];
    private static final byte[] SECONDS = new byte[128];

    static {
        // Two classes of pair, as bits: 1 for the disguising characters, 2 for the look-alikes of letters
        // (detect.Confusables, any continuation byte second). A pair may start where a lead's class meets its
        // second's: so the arrow Claude Code puts on every line (E2 86 92) stays out, though 0x86 seconds a look-alike.
        for (int c : new int[] {0xC2, 0xCD, 0xE1, 0xE2, 0xEF}) {
            LEADS[c & 0x7F] = 1;
        }
        for (int c : Confusables.LEADS) {
            LEADS[c & 0x7F] = 2;
        }
        for (int c = 0x80; c < 0xC0; c++) {
            SECONDS[c & 0x7F] = 2;
        }
        for (int c : new int[] {0x80, 0x81, 0x8F, 0xA0, 0xAD, 0xB8, 0xBB, 0xBC, 0xBD}) {
            SECONDS[c & 0x7F] = 3;
        }
    }

    private VectorDisguises() {
    }

    /**
     * The first offset {@code >= from} where a disguising character may start, a register at a time while a register
     * and one byte more fit before {@code to}; otherwise where the scalar loop takes over.
     */
    static int skip(byte[] b, int from, int to) {
        return PERMUTE ? lookup(b, from, to) : compare(b, from, to);
    }

    private static int lookup(byte[] b, int from, int to) {
        ByteVector leadLo = ByteVector.fromArray(SPECIES, LEADS, 0);
        ByteVector leadHi = ByteVector.fromArray(SPECIES, LEADS, 64);
        ByteVector secondLo = ByteVector.fromArray(SPECIES, SECONDS, 0);
        ByteVector secondHi = ByteVector.fromArray(SPECIES, SECONDS, 64);
        int pos = from;
        // Two registers a step, looked at together: most steps find nothing, and the two lookups chains overlap.
        while (pos + 2 * WIDTH + 1 <= to) {
            ByteVector a0 = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector a1 = ByteVector.fromArray(SPECIES, b, pos + 1);
            ByteVector b0 = ByteVector.fromArray(SPECIES, b, pos + WIDTH);
            ByteVector b1 = ByteVector.fromArray(SPECIES, b, pos + WIDTH + 1);
            // Bytes have no arithmetic shift on x86: the top bits are a compare, the class bits another, joined as masks.
            ByteVector x = a0.selectFrom(leadLo, leadHi).and(a1.selectFrom(secondLo, secondHi));
            ByteVector y = b0.selectFrom(leadLo, leadHi).and(b1.selectFrom(secondLo, secondHi));
            if (x.compare(VectorOperators.NE, (byte) 0).and(a0.and(a1).compare(VectorOperators.LT, (byte) 0))
                    .or(y.compare(VectorOperators.NE, (byte) 0).and(b0.and(b1).compare(VectorOperators.LT, (byte) 0))).anyTrue()) {
                break;
            }
            pos += 2 * WIDTH;
        }
        while (pos + WIDTH + 1 <= to) {
            ByteVector v0 = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector v1 = ByteVector.fromArray(SPECIES, b, pos + 1);
            // The tables hold class bits, and both bytes must have the top bit set too (the low seven bits of ASCII
            // would alias): a pair may start where the classes meet and the AND of the two bytes is negative.
            long bits = v0.selectFrom(leadLo, leadHi).and(v1.selectFrom(secondLo, secondHi)).compare(VectorOperators.NE, (byte) 0)
                    .and(v0.and(v1).compare(VectorOperators.LT, (byte) 0)).toLong();
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return pos;
    }

    private static int compare(byte[] b, int from, int to) {
        int pos = from;
        while (pos + WIDTH + 1 <= to) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, pos);
            long bits = 0;
            long lead = v.compare(VectorOperators.EQ, (byte) 0xE2).or(v.compare(VectorOperators.EQ, (byte) 0xEF))
                    .or(v.compare(VectorOperators.EQ, (byte) 0xC2)).or(v.compare(VectorOperators.EQ, (byte) 0xCD))
                    .or(v.compare(VectorOperators.EQ, (byte) 0xE1)).toLong();
            if (lead != 0) {
                long second = v.compare(VectorOperators.EQ, (byte) 0x80).or(v.compare(VectorOperators.EQ, (byte) 0x81))
                        .or(v.compare(VectorOperators.EQ, (byte) 0xBC)).or(v.compare(VectorOperators.EQ, (byte) 0xBD))
                        .or(v.compare(VectorOperators.EQ, (byte) 0xBB)).or(v.compare(VectorOperators.EQ, (byte) 0xB8))
                        .or(v.compare(VectorOperators.EQ, (byte) 0xAD)).or(v.compare(VectorOperators.EQ, (byte) 0x8F))
                        .or(v.compare(VectorOperators.EQ, (byte) 0xA0)).toLong();
                long afterBit = (SECONDS[b[pos + WIDTH] & 0x7F] & 1) != 0 && b[pos + WIDTH] < 0 ? 1L << (WIDTH - 1) : 0L;
                bits = lead & (second >>> 1 | afterBit) & LANES;
            }
            // A look-alike's lead (0xC9, 0xCE, 0xCF, 0xD0-0xD7), whatever follows it: the scalar test decides.
            bits |= v.compare(VectorOperators.EQ, (byte) 0xC9).or(v.and((byte) 0xFE).compare(VectorOperators.EQ, (byte) 0xCE))
                    .or(v.and((byte) 0xF8).compare(VectorOperators.EQ, (byte) 0xD0)).toLong() & LANES;
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return pos;
    }
}
