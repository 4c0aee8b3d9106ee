package dev.sluice.guard.engine;

import dev.sluice.guard.MalformedBodyException;
import dev.sluice.guard.ScanLimitException;
import dev.sluice.guard.detect.Escapes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reading JSON string contents fast: eight bytes at a time, stopping only at quotes and backslashes. */
public final class JsonStrings {
    /**
     * Escapes one scan tracks (16 bytes of scratch each, 32 MB in all). A client that escapes every non-ASCII
     * character (Python's {@code json.dumps}) sends a 1M-token CJK conversation as ~1M escapes; English code has one
     * every ~30 bytes. A body of nothing but escapes past this is refused, not scanned into an OutOfMemoryError.
     */
    public static final int MAX_ESCAPES = 1 << 21;
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private JsonStrings() {
    }

    /**
     * Finds the closing quote of a string whose content starts at {@code p}, copying its decoded bytes into
     * {@code d} and recording every escape on the way. A SIMD register at a time where the vector API is present
     * ({@link VectorStrings}, which decodes one-letter escapes itself), then eight bytes at a time: each word is copied as it
     * is read, and a word without a quote or backslash (the "has a zero byte" test on the word XOR-ed with each
     * of the two) is passed over whole; the bytes copied after a quote or backslash are overwritten later.
     */
    static int read(byte[] b, int p, int end, Decoded d, IntArray escapes) {
        final byte[] out = d.bytes;
        final int segmentStart = d.length;
        int o = d.length;
        while (true) {
            if (VECTOR) {
                d.length = o;
                p = VectorStrings.copy(b, p, end, d, escapes, segmentStart);
                o = d.length;
            }
            while (p + 8 <= end) {
                long v = (long) LONG.get(b, p);
                LONG.set(out, o, v);
                long q = v ^ QUOTES;
                long s = v ^ BACKSLASHES;
                long found = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS;
                if (found != 0) {
                    // The lowest flagged byte is exact (a borrow can only flag bytes above a real match).
                    int k = Long.numberOfTrailingZeros(found) >>> 3;
                    p += k;
                    o += k;
                    break;
                }
                p += 8;
                o += 8;
            }
            while (p < end && b[p] != '"' && b[p] != '\\') {
                out[o++] = b[p++];
            }
            if (p >= end) {
                throw new MalformedBodyException("unterminated string", p);
            }
            if (b[p] == '"') {
                d.length = o;
                return p;
            }
            long e = Escapes.decode(b, p, end);
            int n = Escapes.count(e);
            d.length = o;
            if (escapes.size() >= MAX_ESCAPES) {
                throw new ScanLimitException("escapes", MAX_ESCAPES);
            }
            d.escape(escapes.size(), segmentStart, Escapes.rawLength(e), n);
            escapes.add(p);
            for (int i = 0; i < n; i++) {
                out[o++] = (byte) Escapes.byteAt(e, i);
            }
            p += Escapes.rawLength(e);
        }
    }

    /** The offset of the first quote or backslash at or after {@code p}, or {@code end}. */
    static int special(byte[] b, int p, int end) {
        while (p + 8 <= end) {
            long v = (long) LONG.get(b, p);
            long q = v ^ QUOTES;
            long s = v ^ BACKSLASHES;
            long found = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS;
            if (found != 0) {
                // The lowest flagged byte is exact (a borrow can only flag bytes above a real match).
                return p + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            p += 8;
        }
        while (p < end && b[p] != '"' && b[p] != '\\') {
            p++;
        }
        return p;
    }

    /** The offset of the closing quote of a string whose content starts at {@code p}, escapes passed over (an image's base64 may be megabytes). */
    public static int skip(byte[] b, int p, int end) {
        while (true) {
            p = special(b, p, end);
            if (p >= end) {
                throw new MalformedBodyException("unterminated string", p);
            }
            if (b[p] == '"') {
                return p;
            }
            p += 2;
        }
    }
}
