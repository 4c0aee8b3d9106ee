package dev.sluice.guard.detect;

import dev.sluice.guard.Source;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One string value of the body as a detector sees it: its decoded UTF-8 bytes ({@code \n} is a newline,
 * {@code \"} a quote, {@code \u00e9} two bytes), who wrote it, and the mapping back to raw byte offsets in
 * the body, so a finding made on the decoded text redacts the right raw bytes, escapes included.
 *
 * <p>The engine decodes every string of a body once; a text is loaded from that with one array copy, and
 * shares the escape tables it maps offsets with. Instances are reused (one per scanning thread).
 */
public final class Text {
    private static final int[] NONE = new int[0];

    private byte[] bytes = new byte[4096];
    private int length;
    private int rawStart;
    private int rawEnd;
    /**
     * Escape tables shared with the engine, read in {@code [escFrom, escTo)}: raw offset, decoded offset in this string, raw and
     * decoded length. Package-private for {@link Undisguise}, which reads them to map its own text back to the body.
     */
    int[] escRaw = NONE;
    int[] escDecoded = NONE;
    int[] escRawLength = NONE;
    int[] escLength = NONE;
    int escFrom;
    int escTo;
    /** Who wrote this text; null until asked for, when {@link #sourceOf} says (see {@link #load}). */
    private Source source = Source.OTHER;
    private IntFunction<Source> sourceOf;
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
        if (source == null) {
            source = sourceOf.apply(id);
        }
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
     * Loads string {@code segment} of a body: its decoded bytes {@code decoded[from, from + size)}, its raw
     * range {@code [rawStart, rawEnd)} in the body, and the escape tables, of which entries {@code [escFrom, escTo)} are its own.
     * Who wrote it is {@code who.apply(segment)}, asked only when a detector or a finding needs it: working it out reads
     * the block's type and the message's role from the body, far from the string, and most strings never need it.
     */
    public void load(int segment, byte[] decoded, int from, int size, int rawStart, int rawEnd, int[] escRaw, int[] escDecoded,
            int[] escRawLength, int[] escLength, int escFrom, int escTo, IntFunction<Source> who, boolean isKey) {
        id = segment;
        source = null;
        sourceOf = who;
        key = isKey;
        this.rawStart = rawStart;
        this.rawEnd = rawEnd;
        if (bytes.length < size) {
            bytes = new byte[Math.max(size, bytes.length * 2)];
        }
        System.arraycopy(decoded, from, bytes, 0, size);
        length = size;
        this.escRaw = escRaw;
        this.escDecoded = escDecoded;
        this.escRawLength = escRawLength;
        this.escLength = escLength;
        this.escFrom = escFrom;
        this.escTo = escTo;
        lineAt = 0;
        line = 1;
    }

    /**
     * Makes this text a view of {@code src[0, length)} without copying (an answer's growing text, read in place).
     * A view's raw offsets are its own offsets. Never {@link #load} into a text used as a view: it would write into {@code src}.
     */
    public void view(byte[] src, int length, Source who) {
        plain(who);
        bytes = src;
        this.length = length;
        rawEnd = length;
    }

    /** Loads plain bytes (an answer's text, a decoded payload) whose raw offsets are {@code rawBase + i}. */
    public void loadPlain(byte[] src, int from, int to, int rawBase, Source who) {
        plain(who);
        int n = to - from;
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        System.arraycopy(src, from, bytes, 0, n);
        length = n;
        rawStart = rawBase;
        rawEnd = rawBase + n;
    }

    private void plain(Source who) {
        id = -1;
        source = who;
        key = false;
        rawStart = 0;
        escFrom = 0;
        escTo = 0;
        lineAt = 0;
        line = 1;
    }

    /** The raw body offset where decoded byte {@code d} starts (an escape's backslash when {@code d} came from one). */
    public int rawOffset(int d) {
        int k = lastEscapeAtOrBefore(d);
        if (k < 0) {
            return rawStart + d;
        }
        int intoEscape = d - escDecoded[k];
        if (intoEscape < escLength[k]) {
            return escRaw[k];
        }
        return escRaw[k] + escRawLength[k] + (intoEscape - escLength[k]);
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
        if (intoEscape <= escLength[k]) {
            return escRaw[k] + escRawLength[k];
        }
        return escRaw[k] + escRawLength[k] + (intoEscape - escLength[k]);
    }

    private int lastEscapeAtOrBefore(int d) {
        int lo = escFrom;
        int hi = escTo - 1;
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

    /** 1-based line of decoded offset {@code d}. Counts on from the last answer when asked in order, so many findings in one long string stay linear. */
    public int lineOf(int d) {
        int to = Math.min(d, length);
        if (to < lineAt) {
            lineAt = 0;
            line = 1;
        }
        for (int i = lineAt; i < to; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        lineAt = to;
        return line;
    }

    private int lineAt;
    private int line = 1;

    /** True when the decoded bytes at {@code at} equal {@code word} exactly (case-sensitive). */
    public boolean matches(int at, byte[] word) {
        return at >= 0 && at + word.length <= length && Arrays.equals(bytes, at, at + word.length, word, 0, word.length);
    }
}
