package dev.sluice.cache.semantic.redis;

import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.StoredEntry;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The binary form of one shared entry (a Redis hash value): format byte, stored-at millis, the
 * retrieval vector, the verification vector (length 0 when absent), negation count and the code
 * names. Decoding checks every length against what is left, so a corrupt value is rejected, not
 * half-read.
 */
final class EntryCodec {
    private static final byte FORMAT = 1;
    private static final int MAX_DIM = 4096;
    private static final int MAX_NAMES = 10_000;

    /** A decoded value: the retrieval vector and the entry. */
    record Decoded(float[] retrieval, StoredEntry entry) {
    }

    private EntryCodec() {
    }

    static Buffer encode(float[] retrieval, StoredEntry e) {
        Buffer b = Buffer.buffer(32 + 4 * retrieval.length + (e.verifyVector() == null ? 0 : 4 * e.verifyVector().length));
        b.appendByte(FORMAT).appendLong(e.storedAtMillis());
        floats(b, retrieval);
        floats(b, e.verifyVector() == null ? new float[0] : e.verifyVector());
        b.appendInt(e.identity().negations()).appendInt(e.identity().names().size());
        for (String name : e.identity().names()) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            b.appendInt(utf8.length).appendBytes(utf8);
        }
        return b;
    }

    static Decoded decode(String entryId, Buffer b) {
        int[] pos = {0};
        need(b, pos[0], 9);
        if (b.getByte(0) != FORMAT) {
            throw new IllegalArgumentException("semantic entry format " + b.getByte(0) + " (expected: " + FORMAT + ")");
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
        return new Decoded(retrieval, new StoredEntry(entryId, new CodeIdentity(names, negations),
                verify.length == 0 ? null : verify, storedAt));
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
