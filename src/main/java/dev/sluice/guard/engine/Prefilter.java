package dev.sluice.guard.engine;

/**
 * Runs the keyword automaton over a walk's decoded strings ({@link Decoded}) and collects the hits:
 * (segment, automaton row, end offset of the match in the decoded string), grouped by segment in order.
 *
 * <p>Why several chains: each step of the automaton needs the state the previous byte produced, so one pass
 * over one stream waits on a memory load per byte. The buffer is therefore cut in parts, and all are
 * stepped in the same loop: the CPU overlaps the independent chains (two: measured 1.7 times faster than
 * one). Each chain but the last reads a little past its cut (longer than any keyword), the next starts fresh at
 * the cut; a match in that overlap is found by both and kept once ({@link #emit}). The strings' separators put
 * the automaton back at its start, so nothing matches across two strings.
 *
 * <p>Where a 64-byte register's byte lookup is one instruction ({@link BytePermute}), the automaton does not step over
 * every byte: a SIMD search finds where a keyword may start, and the automaton runs from there only
 * ({@link KeywordStarts}, {@link VectorKeywordStarts}). When a keyword is shorter than three bytes (an operator's custom
 * rule), the bytes are instead turned into their classes a register at a time ({@link VectorClasses}), and three chains
 * step over the classes: a step is then one load of a class and one of the table, instead of a byte, its class and the
 * table. Elsewhere two chains step over the bytes. All find the same hits (PrefilterTest compares each with a plain
 * pass). One per thread, reused.
 */
final class Prefilter {
    /** Hits kept per scan (three ints each, 12 MB at most); past this the scan is marked saturated. */
    static final int MAX_HITS = 1_000_000;
    /** Buffers shorter than this are read by one chain. */
    private static final int MIN_SPLIT = 8192;

    private final int[] table;
    private final byte[] cls;
    private final int firstMatch;
    private final int overlap;
    private final IntArray first = new IntArray(256);
    private final IntArray second = new IntArray(256);
    private final IntArray third = new IntArray(256);
    /** The SIMD class lookup, or null (no vector API, or registers narrower than 64 bytes). */
    private final VectorClasses vector;
    /** The SIMD search for keyword starts, or null (as {@link #vector}, or a keyword shorter than three bytes). */
    private final VectorKeywordStarts starts;
    /** The classes of the decoded bytes, when {@link #vector} is there. */
    private byte[] classes = new byte[0];
    boolean saturated;

    Prefilter(KeywordAutomaton automaton) {
        this(automaton, BytePermute.AVAILABLE, true);
    }

    /**
     * With {@code permute} false, two chains over the bytes whatever the CPU; with {@code fromStarts} false, no search
     * for keyword starts (tests run every way).
     */
    Prefilter(KeywordAutomaton automaton, boolean permute, boolean fromStarts) {
        this.table = automaton.table();
        this.cls = automaton.classes();
        this.firstMatch = automaton.firstMatch();
        this.overlap = automaton.longestKeyword();
        this.vector = permute && BytePermute.AVAILABLE ? new VectorClasses(cls) : null;
        KeywordStarts keywordStarts = KeywordStarts.of(automaton);
        this.starts = vector != null && fromStarts && keywordStarts != null ? new VectorKeywordStarts(keywordStarts) : null;
    }

    /** Fills {@code hits} from {@code d}, the decoded strings of a walk with {@code segments} strings. */
    void run(Decoded d, int segments, IntArray hits) {
        hits.clear();
        first.clear();
        second.clear();
        third.clear();
        int n = d.length;
        if (starts != null) {
            starts.run(d.bytes, n, first);
        } else if (n < MIN_SPLIT) {
            single(d.bytes, 0, n, first);
        } else if (vector != null) {
            if (classes.length < n || classes.length > 4 * n && classes.length > (8 << 20)) {
                classes = new byte[n + n / 2];
            }
            byte[] c = cls;
            for (int i = vector.classify(d.bytes, n, classes); i < n; i++) {
                classes[i] = c[d.bytes[i] & 0xff];
            }
            triple(classes, n / 3, n);
        } else {
            int cut = n / 2;
            pair(d.bytes, cut, Math.min(n, cut + overlap), n);
        }
        saturated = first.size() + second.size() + third.size() > 2 * MAX_HITS;
        emit(d, segments, first, hits);
        emit(d, segments, second, hits);
        emit(d, segments, third, hits);
    }

    private void single(byte[] b, int from, int to, IntArray out) {
        final int[] t = table;
        final byte[] c = cls;
        final int fm = firstMatch;
        int r = 0;
        for (int i = from; i < to; i++) {
            r = t[r + c[b[i] & 0xff]];
            if (r >= fm) {
                record(out, r, i);
            }
        }
    }

    /** The first chain over {@code [0, firstEnd)}, the second over {@code [cut, n)}, stepped together. */
    private void pair(byte[] b, int cut, int firstEnd, int n) {
        final int[] t = table;
        final byte[] c = cls;
        final int fm = firstMatch;
        int ra = 0;
        int rb = 0;
        int steps = Math.min(cut, n - cut);
        for (int i = 0; i < steps; i++) {
            ra = t[ra + c[b[i] & 0xff]];
            rb = t[rb + c[b[cut + i] & 0xff]];
            if (Math.max(ra, rb) >= fm) {
                if (ra >= fm) {
                    record(first, ra, i);
                }
                if (rb >= fm) {
                    record(second, rb, cut + i);
                }
            }
        }
        // Whatever is left: the first chain's overlap past the cut, the second chain's last byte or so.
        for (int i = steps; i < firstEnd; i++) {
            ra = t[ra + c[b[i] & 0xff]];
            if (ra >= fm) {
                record(first, ra, i);
            }
        }
        for (int i = cut + steps; i < n; i++) {
            rb = t[rb + c[b[i] & 0xff]];
            if (rb >= fm) {
                record(second, rb, i);
            }
        }
    }

    /**
     * Three chains over classes {@code k[0, n)}: the first over {@code [0, cut + overlap)}, the second over
     * {@code [cut, 2 cut + overlap)}, the third over {@code [2 cut, n)}, stepped together for {@code cut} bytes.
     */
    private void triple(byte[] k, int cut, int n) {
        final int[] t = table;
        final int fm = firstMatch;
        final int cut2 = 2 * cut;
        int ra = 0;
        int rb = 0;
        int rc = 0;
        for (int i = 0; i < cut; i++) {
            ra = t[ra + k[i]];
            rb = t[rb + k[cut + i]];
            rc = t[rc + k[cut2 + i]];
            if (Math.max(ra, Math.max(rb, rc)) >= fm) {
                if (ra >= fm) {
                    record(first, ra, i);
                }
                if (rb >= fm) {
                    record(second, rb, cut + i);
                }
                if (rc >= fm) {
                    record(third, rc, cut2 + i);
                }
            }
        }
        // Whatever is left: the first two chains' overlaps past their cuts, the third chain's last byte or two.
        for (int i = cut, to = Math.min(n, cut + overlap); i < to; i++) {
            ra = t[ra + k[i]];
            if (ra >= fm) {
                record(first, ra, i);
            }
        }
        for (int i = cut2, to = Math.min(n, cut2 + overlap); i < to; i++) {
            rb = t[rb + k[i]];
            if (rb >= fm) {
                record(second, rb, i);
            }
        }
        for (int i = cut2 + cut; i < n; i++) {
            rc = t[rc + k[i]];
            if (rc >= fm) {
                record(third, rc, i);
            }
        }
    }

    static void record(IntArray out, int row, int at) {
        if (out.size() < 2 * MAX_HITS + 2) {
            out.add(row);
            out.add(at);
        }
    }

    /** Turns (row, buffer offset) pairs into (segment, row, decoded end) triples; drops the duplicates of the overlap. */
    private static void emit(Decoded d, int segments, IntArray pairs, IntArray hits) {
        if (pairs.size() == 0) {
            return;
        }
        int lastSeg = hits.size() >= 3 ? hits.get(hits.size() - 3) : -1;
        int lastEnd = hits.size() >= 3 ? hits.get(hits.size() - 1) : -1;
        int s = d.segmentAt(pairs.get(1), segments);
        for (int i = 0; i < pairs.size() && hits.size() < 3 * MAX_HITS; i += 2) {
            int at = pairs.get(i + 1);
            while (s + 1 < segments && d.start[s + 1] <= at) {
                s++;
            }
            int end = at - d.start[s] + 1;
            if (s < lastSeg || (s == lastSeg && end <= lastEnd)) {
                continue;
            }
            hits.add(s);
            hits.add(pairs.get(i));
            hits.add(end);
            lastSeg = s;
            lastEnd = end;
        }
    }
}
