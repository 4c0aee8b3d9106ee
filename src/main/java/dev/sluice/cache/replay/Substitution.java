package dev.sluice.cache.replay;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.Placeholder;
import java.io.ByteArrayOutputStream;

/** Puts the requesting developer's values where a stored answer has placeholders. */
public final class Substitution {
    private Substitution() {
    }

    /**
     * {@code src[from, to)} with every {@code MARK id} replaced by the requester's value; null when the
     * requester has no value for a placeholder (the lookup then counts as a miss).
     */
    public static byte[] apply(byte[] src, int from, int to, Bindings requester) {
        int first = indexOfMark(src, from, to);
        if (first < 0) {
            return java.util.Arrays.copyOfRange(src, from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + 64);
        int at = from;
        for (int m = first; m >= 0; m = indexOfMark(src, at, to)) {
            out.write(src, at, m - at);
            if (m + 1 >= to) {
                return null;
            }
            byte[] value;
            try {
                value = requester.bytes(Placeholder.byId(src[m + 1] & 0xFF));
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (value == null) {
                return null;
            }
            out.write(value, 0, value.length);
            at = m + 2;
        }
        out.write(src, at, to - at);
        return out.toByteArray();
    }

    private static int indexOfMark(byte[] src, int from, int to) {
        for (int i = from; i < to; i++) {
            if (src[i] == CacheEntry.MARK) {
                return i;
            }
        }
        return -1;
    }
}
