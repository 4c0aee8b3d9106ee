package dev.sluice.guard.pii;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link PersonalData#scanAll}: finds the next offset where a candidate may start, a
 * register of bytes at a time. Each offset is tested with its neighbours (the byte before, the three after),
 * loaded as shifted registers, so the digits and capitals that make up most of code (inside identifiers,
 * versions and longer numbers; a capital not followed by a capital and two digits) are passed over here
 * instead of one by one.
 *
 * <p>It may report more offsets than {@link PersonalData} acts on, never fewer: every offset it passes over
 * is one where the scalar loop would only have stepped on. The scalar loop still decides at each offset it
 * is given. One method without helpers, so that the JIT sees every vector operation at once and keeps them
 * all in registers. In its own class so it is only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorStarts {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_256;
    private static final int WIDTH = SPECIES.length();

    private VectorStarts() {
    }

    /**
     * The first offset {@code >= max(from, 1)} where a candidate may start, checked a register at a time while
     * a register and three bytes more fit before {@code n}; otherwise where the scalar loop takes over.
     */
    static int skip(byte[] b, int from, int n, boolean email, boolean numbers, boolean iban) {
        int pos = Math.max(from, 1);
        byte at = email ? (byte) '@' : 0;
        byte numberHi = numbers ? (byte) '9' : (byte) ('0' - 1);
        byte capitalHi = iban ? (byte) 'Z' : (byte) ('A' - 1);
        while (pos + WIDTH + 3 <= n) {
            ByteVector before = ByteVector.fromArray(SPECIES, b, pos - 1);
            ByteVector v = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector v1 = ByteVector.fromArray(SPECIES, b, pos + 1);
            ByteVector v2 = ByteVector.fromArray(SPECIES, b, pos + 2);
            ByteVector v3 = ByteVector.fromArray(SPECIES, b, pos + 3);
            ByteVector lowerBefore = before.or((byte) 0x20);
            // A letter or digit before: no candidate starts inside a word or a longer number.
            VectorMask<Byte> word = lowerBefore.compare(VectorOperators.GE, (byte) 'a').and(lowerBefore.compare(VectorOperators.LE, (byte) 'z'))
                    .or(before.compare(VectorOperators.GE, (byte) '0').and(before.compare(VectorOperators.LE, (byte) '9')));
            // Nor does a number after a path, version, identifier or time ('-', '.', '/', ':' or '_').
            VectorMask<Byte> glued = before.compare(VectorOperators.GE, (byte) '-').and(before.compare(VectorOperators.LE, (byte) '/'))
                    .or(before.compare(VectorOperators.EQ, (byte) ':')).or(before.compare(VectorOperators.EQ, (byte) '_'));
            // A digit (a number), or '+' or '(' before one (a phone number).
            VectorMask<Byte> number = v.compare(VectorOperators.GE, (byte) '0').and(v.compare(VectorOperators.LE, numberHi))
                    .or(v.compare(VectorOperators.EQ, (byte) '+').or(v.compare(VectorOperators.EQ, (byte) '('))
                            .and(v1.compare(VectorOperators.GE, (byte) '0')).and(v1.compare(VectorOperators.LE, numberHi)));
            // Two capitals and two digits: an IBAN's country code and check digits.
            VectorMask<Byte> capitals = v.compare(VectorOperators.GE, (byte) 'A').and(v.compare(VectorOperators.LE, capitalHi))
                    .and(v1.compare(VectorOperators.GE, (byte) 'A')).and(v1.compare(VectorOperators.LE, (byte) 'Z'))
                    .and(v2.compare(VectorOperators.GE, (byte) '0')).and(v2.compare(VectorOperators.LE, (byte) '9'))
                    .and(v3.compare(VectorOperators.GE, (byte) '0')).and(v3.compare(VectorOperators.LE, (byte) '9'));
            long bits = number.andNot(glued).or(capitals).andNot(word).or(v.compare(VectorOperators.EQ, at)).toLong();
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return pos;
    }
}
