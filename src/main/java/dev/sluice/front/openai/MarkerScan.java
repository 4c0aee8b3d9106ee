package dev.sluice.front.openai;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether a body may hold a {@code "cache_control"} member, in one pass over its bytes: the fast answer
 * {@link BreakpointPlacement} needs before it may add markers of its own (a client's markers decide alone).
 *
 * <p>The bytes {@code "cache_control"} are in every marker the translation writes, so "absent" is exact. "Present" may
 * be text ({@code say \"cache_control"}) or a tool schema's property name; the placement then walks the blocks to be
 * sure. Candidates are found 8 bytes at a time (SWAR) by the {@code _} at offset 6, or a vector register at a time when
 * {@code jdk.incubator.vector} is present ({@link VectorMarkerScan}); each is compared whole.
 */
final class MarkerScan {
    static final byte[] NAME = "\"cache_control\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Offset of the {@code _} in {@link #NAME}: the byte candidates are found by. */
    static final int ANCHOR = 6;
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long UNDERSCORES = ONES * '_';

    private MarkerScan() {
    }

    /** True when {@code json[0, length)} holds the bytes {@code "cache_control"}. */
    static boolean mayContain(byte[] json, int length) {
        int i = ANCHOR;
        int last = length - NAME.length + ANCHOR; // the last offset an anchor can have
        if (VECTOR) {
            i = VectorMarkerScan.scan(json, i, last);
            if (i < 0) {
                return true;
            }
        }
        while (i + 8 <= last + 1) {
            long x = (long) LONGS.get(json, i);
            long hits = (x ^ UNDERSCORES) - ONES & ~(x ^ UNDERSCORES) & HIGHS;
            while (hits != 0) {
                if (matchAt(json, i + (Long.numberOfTrailingZeros(hits) >>> 3))) {
                    return true;
                }
                hits &= hits - 1;
            }
            i += 8;
        }
        for (; i <= last; i++) {
            if (json[i] == '_' && matchAt(json, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #NAME} sits with its anchor at {@code anchor}. */
    static boolean matchAt(byte[] json, int anchor) {
        int from = anchor - ANCHOR;
        return from >= 0 && from + NAME.length <= json.length
                && java.util.Arrays.equals(json, from, from + NAME.length, NAME, 0, NAME.length);
    }
}
