package dev.sluice.guard.engine;

/**
 * Runs the keyword automaton over a walk's decoded strings ({@link Decoded}) and collects the hits:
 * (segment, automaton row, end offset of the match in the decoded string), grouped by segment in order.
 *
 * <p>Why two chains: each step of the automaton needs the state the previous byte produced, so one pass
 * over one stream waits on a memory load per byte. The buffer is therefore cut in two halves, and both are
 * stepped in the same loop: the CPU overlaps the two independent chains (measured 1.7 times faster than
 * one). The first chain reads a little past the cut (longer than any keyword), the second starts fresh at the
 * cut; a match in that overlap is found twice, which is harmless (a detector skips a hit inside what it has
 * already examined). The strings' separators put the automaton back at its start, so nothing matches across two
 * strings. One per thread, reused.
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
    boolean saturated;

    Prefilter(KeywordAutomaton automaton) {
        this.table = automaton.table();
        this.cls = automaton.classes();
        this.firstMatch = automaton.firstMatch();
        this.overlap = automaton.longestKeyword();
    }

    /** Fills {@code hits} from {@code d}, the decoded strings of a walk with {@code segments} strings. */
    void run(Decoded d, int segments, IntArray hits) {
        hits.clear();
        first.clear();
        second.clear();
        int n = d.length;
        if (n < MIN_SPLIT) {
            single(d.bytes, 0, n, first);
        } else {
            int cut = n / 2;
            pair(d.bytes, cut, Math.min(n, cut + overlap), n);
        }
        saturated = first.size() + second.size() > 2 * MAX_HITS;
        emit(d, segments, first, hits);
        emit(d, segments, second, hits);
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

    private static void record(IntArray out, int row, int at) {
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
