package dev.sluice.guard.detect;

import dev.sluice.guard.Source;
import java.util.Arrays;

/**
 * One string value of the body as a detector sees it: its decoded UTF-8 bytes ({@code \n} is a newline,
 * {@code \"} a quote, {@code \u00e9} two bytes), who wrote it, and the mapping back to raw byte offsets in
 * the body, so a finding made on the decoded text redacts the right raw bytes, escapes included.
 *
 * <p>Decoding copies the runs between escapes with one array copy each; only the escapes themselves are
 * looked at byte by byte. Instances are reused (one per scanning thread).
 */
public final class Text {
    private byte[] bytes = new byte[4096];
    private int length;
    private int rawStart;
    private int rawEnd;
    private int[] escDecoded = new int[64];
    private int[] escRaw = new int[64];
    private int[] escRawLen = new int[64];
    private int[] escLen = new int[64];
    private int escCount;
    private Source source = Source.OTHER;
    private int id = -1;
    private boolean key;

    /** The decoded bytes; valid in {@code [0, length())}. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public Source source() {
        return source;
    }

    /** True when this string is an object key inside a tool input (its value is the next string). */
    public boolean isKey() {
        return key;
    }

    /** The segment number this text was loaded from, or -1. */
    public int id() {
        return id;
    }

    public int at(int i) {
        return bytes[i] & 0xff;
    }

    /**
     * Loads the raw JSON string content {@code body[from, to)} whose escapes (backslash offsets, ascending)
     * are {@code escapes[escFrom, escTo)}.
     */
    public void load(int segment, byte[] body, int from, int to, int[] escapes, int escFrom, int escTo, Source who, boolean isKey) {
        id = segment;
        source = who;
        key = isKey;
        rawStart = from;
        rawEnd = to;
        length = 0;
        escCount = 0;
        ensure(to - from);
        int p = from;
        for (int k = escFrom; k < escTo; k++) {
            int e = escapes[k];
            append(body, p, e - p);
            long packed = Escapes.decode(body, e, to);
            int n = Escapes.count(packed);
            int raw = Escapes.rawLength(packed);
            note(length, e, raw, n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) Escapes.byteAt(packed, i);
            }
            p = e + raw;
        }
        append(body, p, to - p);
    }

    /**
     * Makes this text a view of {@code src[0, length)} without copying (an answer's growing text, read in place).
     * A view's raw offsets are its own offsets. Never {@link #load} into a text used as a view: it would write into {@code src}.
     */
    public void view(byte[] src, int length, Source who) {
        id = -1;
        source = who;
        key = false;
        bytes = src;
        this.length = length;
        rawStart = 0;
        rawEnd = length;
        escCount = 0;
    }

    /** Loads plain bytes (an answer's text, a decoded payload) whose raw offsets are {@code rawBase + i}. */
    public void loadPlain(byte[] src, int from, int to, int rawBase, Source who) {
        id = -1;
        source = who;
        key = false;
        rawStart = rawBase;
        rawEnd = rawBase + (to - from);
        length = 0;
        escCount = 0;
        ensure(to - from);
        append(src, from, to - from);
    }

    private void ensure(int n) {
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
    }

    private void append(byte[] src, int from, int n) {
        System.arraycopy(src, from, bytes, length, n);
        length += n;
    }

    private void note(int decodedAt, int rawAt, int rawLen, int decodedLen) {
        if (escCount == escRaw.length) {
            int n = escCount * 2;
            escDecoded = Arrays.copyOf(escDecoded, n);
            escRaw = Arrays.copyOf(escRaw, n);
            escRawLen = Arrays.copyOf(escRawLen, n);
            escLen = Arrays.copyOf(escLen, n);
        }
        escDecoded[escCount] = decodedAt;
        escRaw[escCount] = rawAt;
        escRawLen[escCount] = rawLen;
        escLen[escCount] = decodedLen;
        escCount++;
    }

    /** The raw body offset where decoded byte {@code d} starts (an escape's backslash when {@code d} came from one). */
    public int rawOffset(int d) {
        int k = lastEscapeAtOrBefore(d);
        if (k < 0) {
            return rawStart + d;
        }
        int intoEscape = d - escDecoded[k];
        if (intoEscape < escLen[k]) {
            return escRaw[k];
        }
        return escRaw[k] + escRawLen[k] + (intoEscape - escLen[k]);
    }

    /** The raw body offset just after decoded byte {@code e - 1} (whole escapes included). */
    public int rawEndOffset(int e) {
        if (e <= 0) {
            return rawStart;
        }
        int k = lastEscapeAtOrBefore(e - 1);
        if (k < 0) {
            return rawStart + e;
        }
        int intoEscape = e - escDecoded[k];
        if (intoEscape <= escLen[k]) {
            return escRaw[k] + escRawLen[k];
        }
        return escRaw[k] + escRawLen[k] + (intoEscape - escLen[k]);
    }

    private int lastEscapeAtOrBefore(int d) {
        int lo = 0;
        int hi = escCount - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (escDecoded[mid] <= d) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    public int rawStart() {
        return rawStart;
    }

    public int rawEnd() {
        return rawEnd;
    }

    /** 1-based line of decoded offset {@code d}. */
    public int lineOf(int d) {
        int line = 1;
        for (int i = 0; i < d && i < length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** True when the decoded bytes at {@code at} equal {@code word} exactly (case-sensitive). */
    public boolean matches(int at, byte[] word) {
        return at >= 0 && at + word.length <= length && Arrays.equals(bytes, at, at + word.length, word, 0, word.length);
    }
}
