package dev.sluice.guard.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD search of {@link KeywordStarts}: finds the candidates 64 offsets at a time, and runs the automaton from each
 * that passes the exact test. The four bucket tables, folded to 128 entries ({@link #folded}), sit in two registers
 * each (a 128-entry lookup of a byte's low seven bits is one {@code VPERMI2B}); four loads, one byte apart, are looked
 * up in the first to fourth table, and their AND is non-zero at each candidate. The three pairs of neighbours among
 * those bytes are hashed ({@link KeywordStarts#pairHash}) and looked up in three more tables of the same buckets, ANDed
 * in too: a start must then have its bytes and its pairs in one bucket. On the benchmark's 679 KB of strings that takes
 * the candidates from 23,800 to 6,300 (4,700 of them real starts) for sixteen more instructions a register, where each
 * candidate cost about 9 ns (2026-11-30, h-guard8). Only where that lookup is an instruction ({@link BytePermute}). One method for the loop, so the JIT keeps every vector in
 * a register; the tables are loaded from their arrays at each call, where the JIT sees what they are (a harness that
 * kept them in static fields ran the same loop 16 times slower in some runs). In its own class so it is only loaded
 * when {@code jdk.incubator.vector} is present.
 */
final class VectorKeywordStarts {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_512;
    private static final int WIDTH = 64;

    private final KeywordStarts starts;
    /**
     * The four bucket tables folded to 128 entries: entry {@code i} holds the buckets of byte {@code i} and of byte
     * {@code i + 128}. A lookup of a byte's low seven bits in one of them is one {@code VPERMI2B}, where a full table took
     * two, a compare and a blend; a byte then also admits the buckets of its twin with the other top bit, so there are a
     * few more candidates, every one of which still goes through the exact test ({@link KeywordStarts#exact}) before a
     * run. The search as a whole: 0.56 → 0.52 ms p50 on the benchmark's 676 KB of strings (2026-11-30), the same hits.
     */
    private final byte[][] folded = new byte[KeywordStarts.WINDOW][128];

    VectorKeywordStarts(KeywordStarts starts) {
        this.starts = starts;
        for (int k = 0; k < KeywordStarts.WINDOW; k++) {
            for (int i = 0; i < 128; i++) {
                folded[k][i] = (byte) (starts.tables[k][i] | starts.tables[k][i + 128]);
            }
        }
    }

    /**
     * Adds the automaton's hits in {@code b[0, n)} to {@code out} as (row, offset of the hit's last byte) pairs, in
     * order. The loads read three bytes past each register, so the registers stop three bytes short of {@code n}; the
     * scalar search takes the rest.
     */
    void run(byte[] b, int n, IntArray out) {
        final KeywordStarts k = starts;
        final byte[] t0 = folded[0];
        final byte[] t1 = folded[1];
        final byte[] t2 = folded[2];
        final byte[] t3 = folded[3];
        ByteVector lo0 = ByteVector.fromArray(SPECIES, t0, 0);
        ByteVector hi0 = ByteVector.fromArray(SPECIES, t0, 64);
        ByteVector lo1 = ByteVector.fromArray(SPECIES, t1, 0);
        ByteVector hi1 = ByteVector.fromArray(SPECIES, t1, 64);
        ByteVector lo2 = ByteVector.fromArray(SPECIES, t2, 0);
        ByteVector hi2 = ByteVector.fromArray(SPECIES, t2, 64);
        ByteVector lo3 = ByteVector.fromArray(SPECIES, t3, 0);
        ByteVector hi3 = ByteVector.fromArray(SPECIES, t3, 64);
        final byte[][] pairs = k.pairs;
        ByteVector pl0 = ByteVector.fromArray(SPECIES, pairs[0], 0);
        ByteVector ph0 = ByteVector.fromArray(SPECIES, pairs[0], 64);
        ByteVector pl1 = ByteVector.fromArray(SPECIES, pairs[1], 0);
        ByteVector ph1 = ByteVector.fromArray(SPECIES, pairs[1], 64);
        ByteVector pl2 = ByteVector.fromArray(SPECIES, pairs[2], 0);
        ByteVector ph2 = ByteVector.fromArray(SPECIES, pairs[2], 64);
        int pos = 0;
        while (pos + WIDTH + 3 <= n) {
            ByteVector v0 = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector v1 = ByteVector.fromArray(SPECIES, b, pos + 1);
            ByteVector v2 = ByteVector.fromArray(SPECIES, b, pos + 2);
            ByteVector v3 = ByteVector.fromArray(SPECIES, b, pos + 3);
            ByteVector m0 = v0.selectFrom(lo0, hi0);
            ByteVector m1 = v1.selectFrom(lo1, hi1);
            ByteVector m2 = v2.selectFrom(lo2, hi2);
            ByteVector m3 = v3.selectFrom(lo3, hi3);
            // The pairs of neighbours, hashed as KeywordStarts.pairHash (the lookup reads the low seven bits).
            ByteVector f0 = v0.or((byte) 0x20);
            ByteVector f1 = v1.or((byte) 0x20);
            ByteVector f2 = v2.or((byte) 0x20);
            ByteVector f3 = v3.or((byte) 0x20);
            ByteVector p0 = f0.lanewise(VectorOperators.XOR, f1.add(f1)).selectFrom(pl0, ph0);
            ByteVector p1 = f1.lanewise(VectorOperators.XOR, f2.add(f2)).selectFrom(pl1, ph1);
            ByteVector p2 = f2.lanewise(VectorOperators.XOR, f3.add(f3)).selectFrom(pl2, ph2);
            long bits = m0.and(m1).and(m2).and(m3).and(p0).and(p1).and(p2).compare(VectorOperators.NE, (byte) 0).toLong();
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
