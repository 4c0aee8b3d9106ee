package dev.sluice.cache.semantic.redis;

import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The binary form of one shared entry (a Redis hash value): format byte, stored-at millis, the
 * retrieval vector, the verification vector (length 0 when absent), negation count and the code
 * names; format 2 adds the verification windows (count, then per window two hash longs, a scale and
 * dim signed bytes; count 0 for a one-window question); format 3 adds per window the norm of its pooled
 * sum and its token count after the codes. Format 1 and 2 values still decode (without windows, or
 * without norms and lengths: a long question stored by an older replica then fails the window rule, a
 * miss, never a wrong hit).
 * Decoding checks every length against what is left, so a corrupt value is rejected, not
 * half-read.
 */
final class EntryCodec {
    private static final byte FORMAT = 3;
    private static final byte FORMAT_UNALIGNED = 2;
    private static final byte FORMAT_NO_WINDOWS = 1;
    private static final int MAX_WINDOWS = 64;
    private static final int MAX_DIM = 4096;
    private static final int MAX_NAMES = 10_000;

    /** A decoded value: the retrieval vector and the entry. */
    record Decoded(float[] retrieval, StoredEntry entry) {
    }

    private EntryCodec() {
    }

    static Buffer encode(float[] retrieval, StoredEntry e) {
        Buffer b = Buffer.buffer(32 + 4 * retrieval.length + (e.verifyVector() == null ? 0 : 4 * e.verifyVector().length));
        EntryWindows w = e.windows();
        // Windows decoded from an older replica's value travel on as they came, without norms and lengths.
        boolean aligned = w == null || w.alignable();
        b.appendByte(aligned ? FORMAT : FORMAT_UNALIGNED).appendLong(e.storedAtMillis());
        floats(b, retrieval);
        floats(b, e.verifyVector() == null ? new float[0] : e.verifyVector());
        b.appendInt(e.identity().negations()).appendInt(e.identity().names().size());
        for (String name : e.identity().names()) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            b.appendInt(utf8.length).appendBytes(utf8);
        }
        b.appendInt(w == null ? 0 : w.count());
        if (w != null) {
            b.appendInt(w.dim());
            for (int i = 0; i < w.count(); i++) {
                b.appendLong(w.hashes()[2 * i]).appendLong(w.hashes()[2 * i + 1]).appendFloat(w.scales()[i]);
                b.appendBytes(w.codes(), i * w.dim(), w.dim());
                if (aligned) {
                    b.appendFloat(w.norms()[i]).appendShort(w.lengths()[i]);
                }
            }
        }
        return b;
    }

    static Decoded decode(String entryId, Buffer b) {
        int[] pos = {0};
        need(b, pos[0], 9);
        byte format = b.getByte(0);
        if (format < FORMAT_NO_WINDOWS || format > FORMAT) {
            throw new IllegalArgumentException("semantic entry format " + format + " (expected: " + FORMAT_NO_WINDOWS
                    + ".." + FORMAT + ")");
        }
        long storedAt = b.getLong(1);
        pos[0] = 9;
        float[] retrieval = floats(b, pos);
        float[] verify = floats(b, pos);
        need(b, pos[0], 8);
        int negations = b.getInt(pos[0]);
        int count = b.getInt(pos[0] + 4);
        pos[0] += 8;
        if (count < 0 || count > MAX_NAMES) {
            throw new IllegalArgumentException("names: " + count);
        }
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            need(b, pos[0], 4);
            int len = b.getInt(pos[0]);
            need(b, pos[0] + 4, len);
            names.add(b.getString(pos[0] + 4, pos[0] + 4 + len, "UTF-8"));
            pos[0] += 4 + len;
        }
        EntryWindows windows = format == FORMAT_NO_WINDOWS ? null : windows(b, pos, format == FORMAT);
        return new Decoded(retrieval, new StoredEntry(entryId, new CodeIdentity(names, negations),
                verify.length == 0 ? null : verify, storedAt, windows));
    }

    private static EntryWindows windows(Buffer b, int[] pos, boolean aligned) {
        need(b, pos[0], 4);
        int count = b.getInt(pos[0]);
        pos[0] += 4;
        if (count == 0) {
            return null;
        }
        need(b, pos[0], 4);
        int dim = b.getInt(pos[0]);
        pos[0] += 4;
        if (count < 0 || count > MAX_WINDOWS || dim < 1 || dim > MAX_DIM) {
            throw new IllegalArgumentException("windows: " + count + " of " + dim + " (expected: 0.." + MAX_WINDOWS
                    + " of 1.." + MAX_DIM + ")");
        }
        long[] hashes = new long[2 * count];
        float[] scales = new float[count];
        byte[] codes = new byte[count * dim];
        float[] norms = aligned ? new float[count] : null;
        short[] lengths = aligned ? new short[count] : null;
        int each = 20 + dim + (aligned ? 6 : 0);
        for (int i = 0; i < count; i++) {
            need(b, pos[0], each);
            hashes[2 * i] = b.getLong(pos[0]);
            hashes[2 * i + 1] = b.getLong(pos[0] + 8);
            scales[i] = b.getFloat(pos[0] + 16);
            b.getBytes(pos[0] + 20, pos[0] + 20 + dim, codes, i * dim);
            if (aligned) {
                norms[i] = b.getFloat(pos[0] + 20 + dim);
                lengths[i] = b.getShort(pos[0] + 24 + dim);
                if (!(norms[i] >= 0) || lengths[i] < 0) {
                    throw new IllegalArgumentException("window " + i + ": norm " + norms[i] + ", length " + lengths[i]
                            + " (expected: >= 0)");
                }
            }
            pos[0] += each;
        }
        return new EntryWindows(hashes, codes, scales, norms, lengths);
    }

    private static void floats(Buffer b, float[] v) {
        b.appendInt(v.length);
        for (float f : v) {
            b.appendFloat(f);
        }
    }

    private static float[] floats(Buffer b, int[] pos) {
        need(b, pos[0], 4);
        int n = b.getInt(pos[0]);
        if (n < 0 || n > MAX_DIM) {
            throw new IllegalArgumentException("vector length: " + n + " (expected: 0.." + MAX_DIM + ")");
        }
        need(b, pos[0] + 4, 4 * n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = b.getFloat(pos[0] + 4 + 4 * i);
        }
        pos[0] += 4 + 4 * n;
        return v;
    }

    private static void need(Buffer b, int at, int n) {
        if (n < 0 || at + n > b.length()) {
            throw new IllegalArgumentException("truncated semantic entry (need " + n + " bytes at " + at + " of " + b.length() + ")");
        }
    }
}
