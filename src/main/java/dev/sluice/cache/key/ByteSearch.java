package dev.sluice.cache.key;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte pattern eight positions at a time: it looks for an anchor pair of the pattern's bytes
 * (two 64-bit loads one byte apart, folded into one zero-byte test) and verifies the whole pattern only
 * there. A pair that is rare in text (for a path, its first two bytes; for a marker, a chosen pair)
 * keeps the verifications few.
 */
public final class ByteSearch {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** Visits matches in ascending order; return false to stop. */
    interface Hits {
        boolean hit(int at);
    }

    /** First match of {@code pattern} in {@code src[from, to)}, or -1; the anchor is {@code pattern[anchor, anchor+2)}. */
    public static int indexOf(byte[] src, int from, int to, byte[] pattern, int anchor) {
        int n = pattern.length;
        if (to - from < n || n == 0) {
            return -1;
        }
        if (n == 1) {
            for (int i = from; i < to; i++) {
                if (src[i] == pattern[0]) {
                    return i;
                }
            }
            return -1;
        }
        byte first = pattern[anchor];
        byte second = pattern[anchor + 1];
        long a = (first & 0xFFL) * ONES;
        long b = (second & 0xFFL) * ONES;
        int q = from + anchor;
        int qLast = to - n + anchor; // last anchor position that leaves room for the pattern
        while (q + 9 <= to) { // the pair's second byte of the word's last position is at q + 8
            // byte i of x is zero exactly when the pair starts at q + i: one zero-byte test for both bytes
            long x = ((long) LONG.get(src, q) ^ a) | ((long) LONG.get(src, q + 1) ^ b);
            long m = (x - ONES) & ~x & HIGHS; // the lowest flag is exact; higher ones may be false and are verified
            while (m != 0) {
                int at = q + (Long.numberOfTrailingZeros(m) >>> 3);
                if (at > qLast) {
                    return -1;
                }
                if (matches(src, at - anchor, pattern)) {
                    return at - anchor;
                }
                m &= m - 1;
            }
            q += 8;
        }
        for (; q <= qLast; q++) {
            if (src[q] == first && src[q + 1] == second && matches(src, q - anchor, pattern)) {
                return q - anchor;
            }
        }
        return -1;
    }

    /**
     * Every match of {@code pattern} wholly inside {@code src[from, to)}, ascending (overlapping ones too).
     * Callers on the keying path loop over {@link #indexOf} themselves: no visitor to allocate or call.
     */
    static void forEach(byte[] src, int from, int to, byte[] pattern, int anchor, Hits hits) {
        int at = indexOf(src, from, to, pattern, anchor);
        while (at >= 0 && hits.hit(at)) {
            at = indexOf(src, at + 1, to, pattern, anchor);
        }
    }

    private static boolean matches(byte[] src, int start, byte[] pattern) {
        return java.util.Arrays.equals(src, start, start + pattern.length, pattern, 0, pattern.length);
    }
}
