package dev.sluice.guard.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD search of {@link KeywordStarts}: finds the candidates 64 offsets at a time, and runs the automaton from each
 * that passes the exact test. The four bucket tables sit in registers as {@link VectorClasses}' class table does (a
 * 128-entry lookup is one {@code VPERMI2B}, once into each half of a table, the byte's top bit picking the half); four
 * loads, one byte apart, are looked up in the first to fourth table, and their AND is non-zero at each candidate. Only
 * where that lookup is an instruction ({@link BytePermute}). One method for the loop, so the JIT keeps every vector in
 * a register; the tables are loaded from their arrays at each call, where the JIT sees what they are (a harness that
 * kept them in static fields ran the same loop 16 times slower in some runs). In its own class so it is only loaded
 * when {@code jdk.incubator.vector} is present.
 */
final class VectorKeywordStarts {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_512;
    private static final int WIDTH = 64;

    private final KeywordStarts starts;

    VectorKeywordStarts(KeywordStarts starts) {
        this.starts = starts;
    }

    /**
     * Adds the automaton's hits in {@code b[0, n)} to {@code out} as (row, offset of the hit's last byte) pairs, in
     * order. The loads read three bytes past each register, so the registers stop three bytes short of {@code n}; the
     * scalar search takes the rest.
     */
    void run(byte[] b, int n, IntArray out) {
        final KeywordStarts k = starts;
        final byte[] t0 = k.tables[0];
        final byte[] t1 = k.tables[1];
        final byte[] t2 = k.tables[2];
        final byte[] t3 = k.tables[3];
        ByteVector lo0 = ByteVector.fromArray(SPECIES, t0, 0);
        ByteVector lo0b = ByteVector.fromArray(SPECIES, t0, 64);
        ByteVector hi0 = ByteVector.fromArray(SPECIES, t0, 128);
        ByteVector hi0b = ByteVector.fromArray(SPECIES, t0, 192);
        ByteVector lo1 = ByteVector.fromArray(SPECIES, t1, 0);
        ByteVector lo1b = ByteVector.fromArray(SPECIES, t1, 64);
        ByteVector hi1 = ByteVector.fromArray(SPECIES, t1, 128);
        ByteVector hi1b = ByteVector.fromArray(SPECIES, t1, 192);
        ByteVector lo2 = ByteVector.fromArray(SPECIES, t2, 0);
        ByteVector lo2b = ByteVector.fromArray(SPECIES, t2, 64);
        ByteVector hi2 = ByteVector.fromArray(SPECIES, t2, 128);
        ByteVector hi2b = ByteVector.fromArray(SPECIES, t2, 192);
        ByteVector lo3 = ByteVector.fromArray(SPECIES, t3, 0);
        ByteVector lo3b = ByteVector.fromArray(SPECIES, t3, 64);
        ByteVector hi3 = ByteVector.fromArray(SPECIES, t3, 128);
        ByteVector hi3b = ByteVector.fromArray(SPECIES, t3, 192);
        int pos = 0;
        while (pos + WIDTH + 3 <= n) {
            ByteVector v0 = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector v1 = ByteVector.fromArray(SPECIES, b, pos + 1);
            ByteVector v2 = ByteVector.fromArray(SPECIES, b, pos + 2);
            ByteVector v3 = ByteVector.fromArray(SPECIES, b, pos + 3);
            ByteVector m0 = v0.selectFrom(lo0, lo0b).blend(v0.selectFrom(hi0, hi0b), v0.compare(VectorOperators.LT, (byte) 0));
            ByteVector m1 = v1.selectFrom(lo1, lo1b).blend(v1.selectFrom(hi1, hi1b), v1.compare(VectorOperators.LT, (byte) 0));
            ByteVector m2 = v2.selectFrom(lo2, lo2b).blend(v2.selectFrom(hi2, hi2b), v2.compare(VectorOperators.LT, (byte) 0));
            ByteVector m3 = v3.selectFrom(lo3, lo3b).blend(v3.selectFrom(hi3, hi3b), v3.compare(VectorOperators.LT, (byte) 0));
            long bits = m0.and(m1).and(m2).and(m3).compare(VectorOperators.NE, (byte) 0).toLong();
            int next = pos + WIDTH;
            while (bits != 0) {
                int c = pos + Long.numberOfTrailingZeros(bits);
                if (!k.exact(b, c)) {
                    bits &= bits - 1;
                    continue;
                }
                int resume = k.run(b, c, n, out);
                if (resume >= pos + WIDTH) {
                    next = resume;
                    break;
                }
                bits &= -1L << (resume - pos);
            }
            pos = next;
        }
        k.scan(b, pos, n, out);
    }
}
