package dev.sluice.guard.engine;

import dev.sluice.guard.ScanLimitException;
import java.util.Arrays;

/**
 * The string values a walk found, as parallel int columns (no object per string): each one's raw byte
 * range inside the quotes, the escapes inside it, and where it sits in the Messages structure. Reused
 * across scans of the same thread.
 */
public final class Segments {
    /** The segment is an object key inside a tool input (its value may be the next segment). */
    public static final int KEY = 1;
    /** The segment is a document's base64 data of a text media type ({@code text/plain}): read decoded too. */
    public static final int BASE64_TEXT = 2;
    /** Strings one scan tracks (48 bytes each, ~12.6 MB): a 700 KB Claude Code body has a few thousand. */
    public static final int MAX = 1 << 18;
    /** Past this many, a scan's columns are not kept for the thread's next scan (see {@link #oversized}). */
    private static final int KEEP = 1 << 16;

    private int count;
    private int[] rawStart = new int[64];
    private int[] rawEnd = new int[64];
    private int[] escFrom = new int[64];
    private int[] escTo = new int[64];
    private int[] section = new int[64];
    private int[] index = new int[64];
    private int[] block = new int[64];
    private int[] part = new int[64];
    private int[] blockSerial = new int[64];
    private int[] fieldStart = new int[64];
    private int[] fieldEnd = new int[64];
    private int[] flags = new int[64];

    private int base64Texts;

    void clear() {
        count = 0;
        base64Texts = 0;
    }

    int open(int start, int escapesAt, int sectionId, int idx, int blk, int prt, int serial, int fStart, int fEnd, int flag) {
        if (count == rawStart.length) {
            grow();
        }
        int s = count++;
        rawStart[s] = start;
        rawEnd[s] = start;
        escFrom[s] = escapesAt;
        escTo[s] = escapesAt;
        section[s] = sectionId;
        index[s] = idx;
        block[s] = blk;
        part[s] = prt;
        blockSerial[s] = serial;
        fieldStart[s] = fStart;
        fieldEnd[s] = fEnd;
        flags[s] = flag;
        base64Texts += flag & BASE64_TEXT;
        return s;
    }

    void close(int s, int end, int escapesAt) {
        rawEnd[s] = end;
        escTo[s] = escapesAt;
    }

    /** True when the columns grew past what a usual body needs: the thread drops them rather than hold them for good. */
    boolean oversized() {
        return rawStart.length > KEEP;
    }

    private void grow() {
        if (rawStart.length >= MAX) {
            throw new ScanLimitException("strings", MAX);
        }
        int n = rawStart.length * 2;
        rawStart = Arrays.copyOf(rawStart, n);
        rawEnd = Arrays.copyOf(rawEnd, n);
        escFrom = Arrays.copyOf(escFrom, n);
        escTo = Arrays.copyOf(escTo, n);
        section = Arrays.copyOf(section, n);
        index = Arrays.copyOf(index, n);
        block = Arrays.copyOf(block, n);
        part = Arrays.copyOf(part, n);
        blockSerial = Arrays.copyOf(blockSerial, n);
        fieldStart = Arrays.copyOf(fieldStart, n);
        fieldEnd = Arrays.copyOf(fieldEnd, n);
        flags = Arrays.copyOf(flags, n);
    }

    public int count() {
        return count;
    }

    public int rawStart(int s) {
        return rawStart[s];
    }

    public int rawEnd(int s) {
        return rawEnd[s];
    }

    public int escFrom(int s) {
        return escFrom[s];
    }

    public int escTo(int s) {
        return escTo[s];
    }

    public int section(int s) {
        return section[s];
    }

    public int index(int s) {
        return index[s];
    }

    public int block(int s) {
        return block[s];
    }

    public int part(int s) {
        return part[s];
    }

    public int blockSerial(int s) {
        return blockSerial[s];
    }

    public int fieldStart(int s) {
        return fieldStart[s];
    }

    public int fieldEnd(int s) {
        return fieldEnd[s];
    }

    public boolean isKey(int s) {
        return (flags[s] & KEY) != 0;
    }

    /** True when a segment of this walk is {@link #BASE64_TEXT}. */
    boolean anyBase64Text() {
        return base64Texts > 0;
    }

    public boolean isBase64Text(int s) {
        return (flags[s] & BASE64_TEXT) != 0;
    }
}
