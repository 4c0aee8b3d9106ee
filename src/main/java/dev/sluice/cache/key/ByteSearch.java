package dev.sluice.cache.key;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte pattern eight positions at a time: it looks for an anchor pair of the pattern's bytes
 * (two overlapping 64-bit loads, exact zero-byte masks) and verifies the rest only there. A pair
 * that is rare in text (for a path, its first two bytes; for a marker, a chosen pair) keeps the
 * verifications few.
 */
final class ByteSearch {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;

    private ByteSearch() {
    }

    /** Visits matches in ascending order; return false to stop. */
    interface Hits {
        boolean hit(int at);
    }

    /** First match of {@code pattern} in {@code src[from, to)}, or -1; the anchor is {@code pattern[anchor, anchor+2)}. */
    static int indexOf(byte[] src, int from, int to, byte[] pattern, int anchor) {
        int[] found = {-1};
        forEach(src, from, to, pattern, anchor, at -> {
            found[0] = at;
            return false;
        });
        return found[0];
    }

    /** Every match of {@code pattern} wholly inside {@code src[from, to)}, ascending (overlapping ones too). */
    static void forEach(byte[] src, int from, int to, byte[] pattern, int anchor, Hits hits) {
        int n = pattern.length;
        if (n < 2 || to - from < n) {
            if (n == 1) {
                for (int i = from; i < to; i++) {
                    if (src[i] == pattern[0] && !hits.hit(i)) {
                        return;
                    }
                }
            }
            return;
        }
        byte first = pattern[anchor];
        byte second = pattern[anchor + 1];
        long a = (first & 0xFFL) * ONES;
        long b = (second & 0xFFL) * ONES;
        int q = from + anchor;
        int qLast = to - n + anchor; // last anchor position that leaves room for the pattern
        boolean carry = false; // the previous word's last byte was the pair's first
        while (q + 8 <= to) {
            long w = (long) LONG.get(src, q);
            long ma = JsonTape.zeroBytes(w ^ a);
            long mb = JsonTape.zeroBytes(w ^ b);
            if (carry && (mb & 0x80) != 0 && !verify(src, q - 1 - anchor, q - 1, qLast, pattern, hits)) {
                return;
            }
            long m = ma & (mb >>> 8); // byte i is the first and byte i + 1 the second, inside this word
            while (m != 0) {
                int at = q + (Long.numberOfTrailingZeros(m) >>> 3);
                if (!verify(src, at - anchor, at, qLast, pattern, hits)) {
                    return;
                }
                m &= m - 1;
            }
            carry = ma < 0; // the top bit is byte 7's flag
            q += 8;
        }
        for (int at = carry ? q - 1 : q; at <= qLast; at++) {
            if (src[at] == first && src[at + 1] == second && !verify(src, at - anchor, at, qLast, pattern, hits)) {
                return;
            }
        }
    }

    /** Checks a candidate whose anchor pair is at {@code at}; false when the visitor wants no more. */
    private static boolean verify(byte[] src, int start, int at, int qLast, byte[] pattern, Hits hits) {
        if (at > qLast || start < 0) {
            return true;
        }
        return !java.util.Arrays.equals(src, start, start + pattern.length, pattern, 0, pattern.length) || hits.hit(start);
    }
}
