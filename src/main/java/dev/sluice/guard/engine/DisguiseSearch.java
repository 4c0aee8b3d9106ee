package dev.sluice.guard.engine;

import dev.sluice.guard.detect.Disguises;

/**
 * Finds the characters that call for reading a text again without its disguises ({@link Disguises#trigger}): a
 * register of bytes at a time where the vector API is present ({@link VectorDisguises}), so a body of ASCII and of
 * ordinary non-ASCII (Claude Code's {@code →}, curly quotes, dashes, accents) costs one pass of a few compares.
 */
final class DisguiseSearch {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private DisguiseSearch() {
    }

    /** The first offset in {@code [from, to)} of a character that triggers a second reading, or -1. */
    static int next(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            p = VECTOR ? VectorDisguises.skip(b, p, to) : skipAscii(b, p, to);
            if (p >= to) {
                break;
            }
            if (Disguises.trigger(b, p, to)) {
                return p;
            }
            p++;
        }
        return -1;
    }

    /**
     * Without the vector API: the first offset {@code >= from} whose eight-byte word has a byte past ASCII (a
     * disguising character's lead byte is one), so ASCII text costs a load and a test per eight bytes, not a call per byte.
     */
    static int skipAscii(byte[] b, int from, int to) {
        int p = from;
        while (p + 8 <= to && ((long) LONG.get(b, p) & 0x8080808080808080L) == 0) {
            p += 8;
        }
        return p;
    }

    private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class,
            java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Puts in {@code out}, in order, the segments of the last walk whose decoded bytes hold such a character. */
    static void segments(Decoded d, int segments, IntArray out) {
        out.clear();
        int p = 0;
        int s = 0;
        while (s < segments) {
            p = next(d.bytes, p, d.length);
            if (p < 0) {
                return;
            }
            while (s < segments && d.start[s] + d.size[s] <= p) {
                s++;
            }
            if (s == segments) {
                return;
            }
            out.add(s);
            p = d.start[s] + d.size[s];
            s++;
        }
    }
}
