package dev.sluice.guard.engine;

import java.util.Arrays;

/**
 * The strings of a walk, decoded once into one buffer: each string's bytes with its JSON escapes resolved,
 * strings separated by one byte that no keyword contains (so the automaton, stepping over the whole buffer in
 * one go, is back at its start state at every string). For each escape it keeps where its output sits in
 * the decoded string and how long it was raw and decoded, which is what maps a finding back to the body's bytes.
 * The walker writes it while it looks for the end of each string. One per thread, reused.
 */
final class Decoded {
    /** Between strings: 0xFF never occurs in UTF-8, and no keyword contains it, so it sends the automaton to its start. */
    static final byte SEPARATOR = (byte) 0xFF;

    byte[] bytes = new byte[64 * 1024];
    int length;
    /** Per segment: where its decoded bytes start in {@link #bytes}, and how many there are. */
    int[] start = new int[256];
    int[] size = new int[256];
    /** Per escape (indexed like the walk's escape list): decoded offset inside its string, raw and decoded length. */
    int[] escDecoded = new int[1024];
    int[] escRawLength = new int[1024];
    int[] escLength = new int[1024];

    /** Empties the buffer and makes room for the strings of a body of {@code bodyLength} bytes (they never decode longer). */
    void reset(int bodyLength) {
        length = 0;
        // Each string decodes to at most its raw length, plus one separator; 16 bytes of slack for 8-byte writes.
        int need = bodyLength + bodyLength / 2 + 16;
        if (bytes.length < need || bytes.length > 4 * need && bytes.length > (8 << 20)) {
            bytes = new byte[need];
        }
    }

    /** Opens segment {@code s}: its decoded bytes start at the current length. */
    void begin(int s) {
        if (s >= start.length) {
            start = Arrays.copyOf(start, Math.max(s + 1, start.length * 2));
            size = Arrays.copyOf(size, start.length);
        }
        start[s] = length;
    }

    /** Closes segment {@code s} and writes the separator after it. */
    void end(int s) {
        size[s] = length - start[s];
        bytes[length++] = SEPARATOR;
    }

    /** Records escape {@code k} of the segment being written: where its output starts, and its lengths. */
    void escape(int k, int segmentStart, int rawLength, int decodedLength) {
        if (k >= escDecoded.length) {
            int m = Math.max(k + 1, escDecoded.length * 2);
            escDecoded = Arrays.copyOf(escDecoded, m);
            escRawLength = Arrays.copyOf(escRawLength, m);
            escLength = Arrays.copyOf(escLength, m);
        }
        escDecoded[k] = length - segmentStart;
        escRawLength[k] = rawLength;
        escLength[k] = decodedLength;
    }

    /** The segment whose decoded bytes contain buffer offset {@code at} (or the separator after them). */
    int segmentAt(int at, int segments) {
        int lo = 0;
        int hi = segments - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (start[mid] <= at) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
