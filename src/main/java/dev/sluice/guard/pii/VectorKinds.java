package dev.sluice.guard.pii;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorStarts#mark} where a 128-entry byte lookup is one instruction ({@code VPERMI2B}, AVX-512 VBMI; see
 * {@link dev.sluice.guard.engine.BytePermute}): the same bits, by fewer instructions. Used by
 * {@link PersonalData#markCandidates} on such CPUs; elsewhere {@link VectorStarts#mark} runs.
 *
 * <p>Two differences from {@link VectorStarts#mark}, which is otherwise followed line by line:
 * <ol>
 *   <li><b>One lookup for all eight kinds of byte.</b> A byte's kinds (digit, letter or digit, capital, ...) are the
 *       eight bits of one table entry ({@link #KINDS}); each kind's mask is then one test of a bit, where the compares
 *       took two to five compares and their ANDs and ORs each (about forty mask operations a register, against ten).</li>
 *   <li><b>The next register's masks give the three bytes after this one.</b> The loop computes the masks one register
 *       ahead, so the bytes after a register are bits of masks it has anyway, not three table reads with bounds checks,
 *       and the byte before comes from the previous register's top bits. The last register's look-ahead load stops at
 *       {@code n} (bytes past it count as nothing, as they are never read by the compares' loop either).</li>
 * </ol>
 * Measured on the benchmark's 676 KB of decoded strings (2026-11-30, this box, a throwaway harness taking turns with
 * the compares' loop in one process): 0.37 → 0.21 ms p50. One method without helpers for the reason
 * {@link VectorStarts} gives: a vector passed to a helper the JIT does not inline is boxed. {@code VectorKindsTest}
 * checks the bits equal {@link VectorStarts#mark}'s on random buffers that end at every offset of a register.
 */
final class VectorKinds {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_512;
    private static final int WIDTH = 64;

    private static final int DIGIT = 1;
    /** A letter or a digit. */
    private static final int WORD = 2;
    private static final int CAPITAL = 4;
    /** What a one-to-three-digit run may go on with ('(' to '9', a space, a hex letter): {@link PersonalData}'s tooShort. */
    private static final int GOES_ON = 8;
    /** What glues a number to a path, version or time before it: '-', '.', '/', ':', '_'. */
    private static final int GLUE = 16;
    /** What an email address's local part may end with: a letter, a digit, '+', ',', '-', '.', '_', '%'. */
    private static final int LOCAL = 32;
    private static final int PLUS_OR_PAREN = 64;
    /** '@', the sign bit: tested by one compare with zero. */
    private static final int AT = 128;
    /** The kinds of each ASCII byte; a byte from 128 on is of no kind. The same sets as {@link VectorStarts}' compares. */
    static final byte[] KINDS = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
            int k = digit ? DIGIT : 0;
            k |= digit || letter ? WORD | LOCAL : 0;
            k |= c >= 'A' && c <= 'Z' ? CAPITAL : 0;
            k |= c >= '(' && c <= '9' || c == ' ' || (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? GOES_ON : 0;
            k |= c >= '-' && c <= '/' || c == ':' || c == '_' ? GLUE : 0;
            k |= c >= '+' && c <= '.' || c == '_' || c == '%' ? LOCAL : 0;
            k |= c == '+' || c == '(' ? PLUS_OR_PAREN : 0;
            k |= c == '@' ? AT : 0;
            KINDS[c] = (byte) k;
        }
    }

    private VectorKinds() {
    }

    /** As {@link VectorStarts#mark}: bit {@code j & 63} of {@code bits[j >>> 6]} for each offset of {@code b[0, n)} where a candidate may start. */
    static void mark(byte[] b, int n, long[] bits) {
        ByteVector low = ByteVector.fromArray(SPECIES, KINDS, 0);
        ByteVector high = ByteVector.fromArray(SPECIES, KINDS, 64);
        int pos = 0;
        if (WIDTH + 3 <= n) {
            // The masks of the register at pos; each turn of the loop computes those of the next one.
            ByteVector v = ByteVector.fromArray(SPECIES, b, 0);
            ByteVector k = v.selectFrom(low, high).blend((byte) 0, v.compare(VectorOperators.LT, (byte) 0));
            long digit = k.and((byte) DIGIT).compare(VectorOperators.NE, (byte) 0).toLong();
            long word = k.and((byte) WORD).compare(VectorOperators.NE, (byte) 0).toLong();
            long capital = k.and((byte) CAPITAL).compare(VectorOperators.NE, (byte) 0).toLong();
            long goesOn = k.and((byte) GOES_ON).compare(VectorOperators.NE, (byte) 0).toLong();
            long glue = k.and((byte) GLUE).compare(VectorOperators.NE, (byte) 0).toLong();
            long local = k.and((byte) LOCAL).compare(VectorOperators.NE, (byte) 0).toLong();
            long plusOrParen = k.and((byte) PLUS_OR_PAREN).compare(VectorOperators.NE, (byte) 0).toLong();
            long atSign = k.compare(VectorOperators.LT, (byte) 0).toLong();
            // The byte before the register: its word, glue and local bits (nothing before the first).
            long before = 0;
            while (pos + WIDTH + 3 <= n) {
                int q = pos + WIDTH;
                ByteVector w = q + WIDTH <= n ? ByteVector.fromArray(SPECIES, b, q)
                        : ByteVector.fromArray(SPECIES, b, q, SPECIES.indexInRange(q, n));
                ByteVector x = w.selectFrom(low, high).blend((byte) 0, w.compare(VectorOperators.LT, (byte) 0));
                long nextDigit = x.and((byte) DIGIT).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextWord = x.and((byte) WORD).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextCapital = x.and((byte) CAPITAL).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextGoesOn = x.and((byte) GOES_ON).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextGlue = x.and((byte) GLUE).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextLocal = x.and((byte) LOCAL).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextPlusOrParen = x.and((byte) PLUS_OR_PAREN).compare(VectorOperators.NE, (byte) 0).toLong();
                long nextAtSign = x.compare(VectorOperators.LT, (byte) 0).toLong();

                // As in VectorStarts.mark: the byte before each offset is bit i of "x << 1", the k-th byte after it bit i
                // of "x >>> k", the bytes just outside the register coming in from the previous and the next register.
                long wordBefore = word << 1 | before & 1;
                long glueBefore = glue << 1 | before >>> 1 & 1;
                long localBefore = local << 1 | before >>> 2 & 1;
                long d1 = digit >>> 1 | nextDigit << 63;
                long d2 = digit >>> 2 | nextDigit << 62;
                long d3 = digit >>> 3 | nextDigit << 61;
                long on1 = goesOn >>> 1 | nextGoesOn << 63;
                long on2 = goesOn >>> 2 | nextGoesOn << 62;
                long on3 = goesOn >>> 3 | nextGoesOn << 61;
                long capital1 = capital >>> 1 | nextCapital << 63;

                long number = (digit | plusOrParen & d1) & ~glueBefore;
                long tooShort = digit & (~on1 | d1 & ~on2 | d1 & d2 & ~on3);
                long capitals = capital & capital1 & d2 & d3;
                long address = atSign & (wordBefore | localBefore);
                bits[pos >>> 6] = (number & ~tooShort | capitals) & ~wordBefore | address;

                before = word >>> 63 | glue >>> 63 << 1 | local >>> 63 << 2;
                digit = nextDigit;
                word = nextWord;
                capital = nextCapital;
                goesOn = nextGoesOn;
                glue = nextGlue;
                local = nextLocal;
                plusOrParen = nextPlusOrParen;
                atSign = nextAtSign;
                pos = q;
            }
        }
        // The last bytes, fewer than a register and three: every byte a candidate may start with (as VectorStarts.mark).
        java.util.Arrays.fill(bits, pos >>> 6, (n >>> 6) + 2, 0L);
        for (int j = pos; j < n; j++) {
            if (PersonalData.mayStart(b[j])) {
                bits[j >>> 6] |= 1L << j;
            }
        }
    }
}
