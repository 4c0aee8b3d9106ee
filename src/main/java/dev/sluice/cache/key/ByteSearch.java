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
        long a = (pattern[anchor] & 0xFFL) * ONES;
        long b = (pattern[anchor + 1] & 0xFFL) * ONES;
        int q = from + anchor;
        int qLast = to - n + anchor; // last anchor position that leaves room for the pattern
        while (q <= qLast) {
            if (q + 9 <= src.length) {
                long m = JsonTape.zeroBytes((long) LONG.get(src, q) ^ a) & JsonTape.zeroBytes((long) LONG.get(src, q + 1) ^ b);
                while (m != 0) {
                    int at = q + (Long.numberOfTrailingZeros(m) >>> 3);
                    if (at > qLast) {
                        return;
                    }
                    int start = at - anchor;
                    if (java.util.Arrays.equals(src, start, start + n, pattern, 0, n) && !hits.hit(start)) {
                        return;
                    }
                    m &= m - 1;
                }
                q += 8;
            } else {
                int start = q - anchor;
                if (src[q] == pattern[anchor] && src[q + 1] == pattern[anchor + 1]
                        && java.util.Arrays.equals(src, start, start + n, pattern, 0, n) && !hits.hit(start)) {
                    return;
                }
                q++;
            }
        }
    }
}
