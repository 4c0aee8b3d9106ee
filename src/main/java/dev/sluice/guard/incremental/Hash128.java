package dev.sluice.guard.incremental;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast seeded 128-bit hash of byte ranges that can be read off at several lengths in one pass (the
 * digest of every message prefix of a body). Four 64-bit lanes take 32-byte stripes (the xxHash64 round:
 * multiply, rotate, multiply), so the CPU runs them in parallel; a digest is the lanes, the length and the
 * tail folded twice with different constants.
 *
 * <p>Not a cryptographic hash. It is keyed with a per-process random seed, so nobody outside the process
 * can aim for a collision, and cache entries are further scoped by the tenant's policy; a collision would
 * only make the scanner reuse the findings of an equal-hashing prefix of the same tenant.
 */
final class Hash128 {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private final long seed;
    /** Offset in the array where the hashed bytes start; all other offsets are relative to it. */
    private final int base;
    private long a1;
    private long a2;
    private long a3;
    private long a4;
    /** Bytes consumed by whole stripes. */
    private int done;

    Hash128(long seed, int base) {
        this.seed = seed;
        this.base = base;
        a1 = seed + P1 + P2;
        a2 = seed + P2;
        a3 = seed;
        a4 = seed - P1;
    }

    private static long round(long acc, long lane) {
        return Long.rotateLeft(acc + lane * P2, 31) * P1;
    }

    /** Consumes whole 32-byte stripes from where it stopped up to {@code to} (relative to the base). */
    void advance(byte[] b, int to) {
        int i = done;
        long v1 = a1;
        long v2 = a2;
        long v3 = a3;
        long v4 = a4;
        while (i + 32 <= to) {
            int at = base + i;
            v1 = round(v1, (long) LONG.get(b, at));
            v2 = round(v2, (long) LONG.get(b, at + 8));
            v3 = round(v3, (long) LONG.get(b, at + 16));
            v4 = round(v4, (long) LONG.get(b, at + 24));
            i += 32;
        }
        a1 = v1;
        a2 = v2;
        a3 = v3;
        a4 = v4;
        done = i;
    }

    /** The digest of the first {@code length} bytes from the base; lengths asked for must not decrease. */
    long[] digest(byte[] b, int length) {
        advance(b, length);
        return new long[] {finish(b, length, P4), finish(b, length, P5 ^ seed)};
    }

    private long finish(byte[] b, int length, long salt) {
        long h = Long.rotateLeft(a1, 1) + Long.rotateLeft(a2, 7) + Long.rotateLeft(a3, 12) + Long.rotateLeft(a4, 18);
        h = (h ^ round(0, a1)) * P1 + P4;
        h = (h ^ round(0, a2)) * P1 + P4;
        h = (h ^ round(0, a3)) * P1 + P4;
        h = (h ^ round(0, a4)) * P1 + P4;
        h += length ^ salt;
        int i = done;
        while (i + 8 <= length) {
            h ^= round(0, (long) LONG.get(b, base + i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            i += 8;
        }
        while (i < length) {
            h ^= (b[base + i] & 0xffL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            i++;
        }
        h ^= h >>> 33;
        h *= P2 ^ salt;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}
