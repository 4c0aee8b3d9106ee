package dev.sluice.guard.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tokens split across two adjacent text blocks of one message ({@code {"type":"text","text":"ghp_abc"},
 * {"type":"text","text":"def..."}}), or two adjacent text parts of a tool result: providers join adjacent text blocks, so the model reads the whole token, while each
 * block alone holds too little of it to match. Where the end of one block's text and the start of the next are both
 * token characters (no space, line break or end of sentence at the seam), the last and first {@value #WINDOW} bytes
 * are read together ({@link Work#seam}); a credential found across the seam is reported as two findings, one per block,
 * so a redaction replaces each part in place and the body keeps its shape. At most {@value #WINDOW} bytes either side of
 * each seam: linear in the body. An answer's adjacent text blocks, streamed, are read the same way once the second has
 * {@value #WINDOW} bytes or stops ({@link GuardEngine#seam}).
 */
final class Seams {
    /** How far either side of a seam is read. */
    static final int WINDOW = 256;
    private static final byte[] TEXT = "text".getBytes(StandardCharsets.US_ASCII);

    private Seams() {
    }

    /** Reads every seam between adjacent text blocks of the last walk. */
    static void read(Work w) {
        Segments seg = w.walker.segments;
        Decoded d = w.walker.decoded;
        int prev = -1;
        for (int s = 0; s < seg.count(); s++) {
            if (seg.block(s) < 0 || !text(w.walker, s)) {
                continue;
            }
            if (prev >= 0 && seg.section(prev) == seg.section(s) && seg.index(prev) == seg.index(s) && adjacent(seg, prev, s)
                    && joined(d, prev, s)) {
                w.seam(prev, s);
            }
            prev = s;
        }
    }

    /** True when the last byte of {@code a}'s text and the first of {@code b}'s could be one token's. */
    private static boolean joined(Decoded d, int a, int b) {
        return d.size[a] > 0 && d.size[b] > 0 && token(d.bytes[d.start[a] + d.size[a] - 1]) && token(d.bytes[d.start[b]]);
    }

    /** As {@link #joined(Decoded, int, int)} for two plain texts {@code a[0, aLength)} and {@code b[0, bLength)}. */
    static boolean joined(byte[] a, int aLength, byte[] b, int bLength) {
        return aLength > 0 && bLength > 0 && token(a[aLength - 1]) && token(b[0]);
    }

    private static boolean token(byte c) {
        return c > ' ' && c < 0x7F && c != '.' && c != ',' && c != '"' && c != '\'' && c != '`';
    }

    /** Blocks {@code k} and {@code k + 1} of a message, or parts {@code j} and {@code j + 1} of one block (a tool result's). */
    private static boolean adjacent(Segments seg, int a, int b) {
        if (seg.part(a) < 0 && seg.part(b) < 0) {
            return seg.block(a) + 1 == seg.block(b);
        }
        return seg.block(a) == seg.block(b) && seg.part(a) >= 0 && seg.part(a) + 1 == seg.part(b);
    }

    /**
     * True when segment {@code s} is the {@code text} member of a block whose type is {@code text}, or of a part of a
     * block's content (a tool result's text parts: only they have a {@code text} member there).
     */
    private static boolean text(BodyWalker walker, int s) {
        Segments seg = walker.segments;
        byte[] body = walker.body();
        if (!equal(body, seg.fieldStart(s), seg.fieldEnd(s))) {
            return false;
        }
        if (seg.part(s) >= 0) {
            return true;
        }
        int serial = seg.blockSerial(s);
        return serial >= 0 && serial < walker.typeStart.size() && equal(body, walker.typeStart.get(serial), walker.typeEnd.get(serial));
    }

    private static boolean equal(byte[] body, int from, int to) {
        return from >= 0 && to - from == TEXT.length && Arrays.equals(body, from, to, TEXT, 0, TEXT.length);
    }
}
