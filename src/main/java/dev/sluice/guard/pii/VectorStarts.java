package dev.sluice.guard.pii;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD step of {@link PersonalData#scanAll}: finds the next offset where a candidate may start, a
 * register of bytes at a time, so the digits and capitals that make up most of code (inside identifiers,
 * versions and longer numbers; a capital not followed by a capital and two digits; the line numbers of Claude
 * Code's Read output) are passed over here instead of one by one.
 *
 * <p>How: one load per register; a few compares turn it into one bit mask per kind of byte (digit, letter,
 * capital, separator, ...), as a {@code long} with bit {@code i} for byte {@code i}. How an offset relates to its
 * neighbours (the byte before, the three after) is then shifts of those masks, with the bits of the bytes just
 * outside the register read from a table. An earlier version loaded the register four more times, shifted by
 * one byte each, and compared each load: about ten times slower per register on AVX-512.
 *
 * <p>It may report more offsets than {@link PersonalData} acts on, never fewer: every offset it passes over
 * is one where the scalar loop would only have stepped on. The scalar loop still decides at each offset it
 * is given. One method without helpers, so that the JIT sees every vector operation at once and keeps them
 * all in registers. In its own class so it is only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorStarts {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() <= 64
            ? ByteVector.SPECIES_PREFERRED : ByteVector.SPECIES_512;
    private static final int WIDTH = SPECIES.length();
    private static final long LANES = WIDTH == 64 ? -1L : (1L << WIDTH) - 1;

    /** Bits of {@link #FLAGS}: what a byte just outside the register is. */
    private static final int DIGIT = 1;
    private static final int GOES_ON = 2;
    private static final int CAPITAL = 4;
    private static final int WORD = 8;
    private static final int GLUE = 16;
    private static final int LOCAL = 32;
    private static final byte[] FLAGS = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
            int f = digit ? DIGIT : 0;
            // The same sets as the vector compares below, byte for byte.
            f |= c >= '(' && c <= '9' || c == ' ' || (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? GOES_ON : 0;
            f |= c >= 'A' && c <= 'Z' ? CAPITAL : 0;
            f |= digit || letter ? WORD | LOCAL : 0;
            f |= c >= '-' && c <= '/' || c == ':' || c == '_' ? GLUE : 0;
            f |= c >= '+' && c <= '.' || c == '_' || c == '%' ? LOCAL : 0;
            FLAGS[c] = (byte) f;
        }
    }

    private VectorStarts() {
    }

    /**
     * The first offset {@code >= max(from, 1)} where a candidate may start, checked a register at a time while
     * a register and three bytes more fit before {@code n}; otherwise where the scalar loop takes over.
     */
    static int skip(byte[] b, int from, int n, boolean email, boolean numbers, boolean iban) {
        int pos = Math.max(from, 1);
        long emailOn = email ? -1L : 0L;
        long numbersOn = numbers ? -1L : 0L;
        long ibanOn = iban ? -1L : 0L;
        while (pos + WIDTH + 3 <= n) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector lower = v.or((byte) 0x20);
            long digit = v.compare(VectorOperators.GE, (byte) '0').and(v.compare(VectorOperators.LE, (byte) '9')).toLong();
            long letter = lower.compare(VectorOperators.GE, (byte) 'a').and(lower.compare(VectorOperators.LE, (byte) 'z')).toLong();
            long capital = v.compare(VectorOperators.GE, (byte) 'A').and(v.compare(VectorOperators.LE, (byte) 'Z')).toLong();
            long goesOn = v.compare(VectorOperators.GE, (byte) '(').and(v.compare(VectorOperators.LE, (byte) '9'))
                    .or(v.compare(VectorOperators.EQ, (byte) ' '))
                    .or(lower.compare(VectorOperators.GE, (byte) 'a').and(lower.compare(VectorOperators.LE, (byte) 'f'))).toLong();
            long glue = v.compare(VectorOperators.GE, (byte) '-').and(v.compare(VectorOperators.LE, (byte) '/'))
                    .or(v.compare(VectorOperators.EQ, (byte) ':')).or(v.compare(VectorOperators.EQ, (byte) '_')).toLong();
            long local = v.compare(VectorOperators.GE, (byte) '+').and(v.compare(VectorOperators.LE, (byte) '.'))
                    .or(v.compare(VectorOperators.EQ, (byte) '_')).or(v.compare(VectorOperators.EQ, (byte) '%')).toLong();
            long plusOrParen = v.compare(VectorOperators.EQ, (byte) '+').or(v.compare(VectorOperators.EQ, (byte) '(')).toLong();
            long atSign = v.compare(VectorOperators.EQ, (byte) '@').toLong();

            int before = FLAGS[b[pos - 1] & 0xff];
            int n0 = FLAGS[b[pos + WIDTH] & 0xff];
            int n1 = FLAGS[b[pos + WIDTH + 1] & 0xff];
            int n2 = FLAGS[b[pos + WIDTH + 2] & 0xff];
            // The byte before each offset: bit i of "x << 1", the byte before the register coming in at bit 0.
            long word = digit | letter;
            long wordBefore = word << 1 | (before & WORD) >>> 3;
            long glueBefore = glue << 1 | (before & GLUE) >>> 4;
            long localBefore = (word | local) << 1 | (before & LOCAL) >>> 5;
            // The k-th byte after each offset: bit i of "x >>> k", the bytes after the register coming in at the top.
            long nextDigits = (n0 & DIGIT) | (n1 & DIGIT) << 1 | (n2 & DIGIT) << 2;
            long nextGoOn = (n0 & GOES_ON) >>> 1 | (n1 & GOES_ON) | (n2 & GOES_ON) << 1;
            long d1 = digit >>> 1 | nextDigits << (WIDTH - 1);
            long d2 = digit >>> 2 | nextDigits << (WIDTH - 2);
            long d3 = digit >>> 3 | nextDigits << (WIDTH - 3);
            long on1 = goesOn >>> 1 | nextGoOn << (WIDTH - 1);
            long on2 = goesOn >>> 2 | nextGoOn << (WIDTH - 2);
            long on3 = goesOn >>> 3 | nextGoOn << (WIDTH - 3);
            long capital1 = capital >>> 1 | (long) ((n0 & CAPITAL) >>> 2) << (WIDTH - 1);

            // A digit, or '+' or '(' before one (a phone number), not after a path, version, identifier or time.
            long number = (digit | plusOrParen & d1) & ~glueBefore & numbersOn;
            // ... and not one to three digits that the next byte ends (PersonalData.tooShort; here a digit, '(' to '9',
            // a space or any hex letter goes on: a few more than the scalar test, so this never skips what it keeps).
            long tooShort = digit & (~on1 | d1 & ~on2 | d1 & d2 & ~on3);
            // Two capitals and two digits: an IBAN's country code and check digits.
            long capitals = capital & capital1 & d2 & d3 & ibanOn;
            // An '@' after something an address's local part can end with (a letter, a digit, '+', ',', '-', '.', '_', '%').
            long address = atSign & (wordBefore | localBefore) & emailOn;
            long bits = ((number & ~tooShort | capitals) & ~wordBefore | address) & LANES;
            if (bits != 0) {
                return pos + Long.numberOfTrailingZeros(bits);
            }
            pos += WIDTH;
        }
        return pos;
    }

    /** True when {@link #mark} can run: registers of 64 bytes, one {@code long} of bits each. */
    static boolean canMark() {
        return WIDTH == 64;
    }

    /**
     * The search of {@link #skip} over many strings at once, every kind on: sets bit {@code j & 63} of
     * {@code bits[j >>> 6]} for each offset {@code j} of {@code b[0, n)} where a candidate may start (the same masks, so
     * the same superset of where one does), for {@code bits} of {@code (n >>> 6) + 2} words. The strings sit in
     * {@code b} one after another with a separator byte between them that is no digit, letter or punctuation, so, to
     * these masks, the byte before a string's first and the byte after its last look like nothing at all, as in a
     * string alone. Why in one go: searched string by string, each string's last 67 bytes went through the scalar loop
     * and each string cost a call and a copy, about as much again as the search itself on a body of Read results. No
     * branch but the loop's: the bits of each register are stored whether or not any is set.
     *
     * <p>The masks are written out again rather than shared with {@link #skip}: one method holding them is 628 bytes of
     * bytecode, over C2's limit for inlining a hot callee (325), so each register would cost a call (and a vector
     * passed to one is boxed). A change to one copy must be made to both; {@code DataStartsTest} compares them.
     */
    static void mark(byte[] b, int n, long[] bits) {
        int pos = 0;
        int before = 0;
        while (pos + WIDTH + 3 <= n) {
            ByteVector v = ByteVector.fromArray(SPECIES, b, pos);
            ByteVector lower = v.or((byte) 0x20);
            long digit = v.compare(VectorOperators.GE, (byte) '0').and(v.compare(VectorOperators.LE, (byte) '9')).toLong();
            long letter = lower.compare(VectorOperators.GE, (byte) 'a').and(lower.compare(VectorOperators.LE, (byte) 'z')).toLong();
            long capital = v.compare(VectorOperators.GE, (byte) 'A').and(v.compare(VectorOperators.LE, (byte) 'Z')).toLong();
            long goesOn = v.compare(VectorOperators.GE, (byte) '(').and(v.compare(VectorOperators.LE, (byte) '9'))
                    .or(v.compare(VectorOperators.EQ, (byte) ' '))
                    .or(lower.compare(VectorOperators.GE, (byte) 'a').and(lower.compare(VectorOperators.LE, (byte) 'f'))).toLong();
            long glue = v.compare(VectorOperators.GE, (byte) '-').and(v.compare(VectorOperators.LE, (byte) '/'))
                    .or(v.compare(VectorOperators.EQ, (byte) ':')).or(v.compare(VectorOperators.EQ, (byte) '_')).toLong();
            long local = v.compare(VectorOperators.GE, (byte) '+').and(v.compare(VectorOperators.LE, (byte) '.'))
                    .or(v.compare(VectorOperators.EQ, (byte) '_')).or(v.compare(VectorOperators.EQ, (byte) '%')).toLong();
            long plusOrParen = v.compare(VectorOperators.EQ, (byte) '+').or(v.compare(VectorOperators.EQ, (byte) '(')).toLong();
            long atSign = v.compare(VectorOperators.EQ, (byte) '@').toLong();

            int n0 = FLAGS[b[pos + WIDTH] & 0xff];
            int n1 = FLAGS[b[pos + WIDTH + 1] & 0xff];
            int n2 = FLAGS[b[pos + WIDTH + 2] & 0xff];
            long word = digit | letter;
            long wordBefore = word << 1 | (before & WORD) >>> 3;
            long glueBefore = glue << 1 | (before & GLUE) >>> 4;
            long localBefore = (word | local) << 1 | (before & LOCAL) >>> 5;
            long nextDigits = (n0 & DIGIT) | (n1 & DIGIT) << 1 | (n2 & DIGIT) << 2;
            long nextGoOn = (n0 & GOES_ON) >>> 1 | (n1 & GOES_ON) | (n2 & GOES_ON) << 1;
            long d1 = digit >>> 1 | nextDigits << (WIDTH - 1);
            long d2 = digit >>> 2 | nextDigits << (WIDTH - 2);
            long d3 = digit >>> 3 | nextDigits << (WIDTH - 3);
            long on1 = goesOn >>> 1 | nextGoOn << (WIDTH - 1);
            long on2 = goesOn >>> 2 | nextGoOn << (WIDTH - 2);
            long on3 = goesOn >>> 3 | nextGoOn << (WIDTH - 3);
            long capital1 = capital >>> 1 | (long) ((n0 & CAPITAL) >>> 2) << (WIDTH - 1);

            long number = (digit | plusOrParen & d1) & ~glueBefore;
            long tooShort = digit & (~on1 | d1 & ~on2 | d1 & d2 & ~on3);
            long capitals = capital & capital1 & d2 & d3;
            long address = atSign & (wordBefore | localBefore);
            bits[pos >>> 6] = (number & ~tooShort | capitals) & ~wordBefore | address;
            before = FLAGS[b[pos + WIDTH - 1] & 0xff];
            pos += WIDTH;
        }
        // The last bytes, fewer than a register and three: every byte a candidate may start with.
        java.util.Arrays.fill(bits, pos >>> 6, (n >>> 6) + 2, 0L);
        for (int j = pos; j < n; j++) {
            if (PersonalData.mayStart(b[j])) {
                bits[j >>> 6] |= 1L << j;
            }
        }
    }
}
