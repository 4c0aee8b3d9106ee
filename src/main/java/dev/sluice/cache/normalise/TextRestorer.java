package dev.sluice.cache.normalise;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Maps the team's stand-ins in answer text back to one developer's values: the inverse of {@link UpstreamNormaliser}.
 * It works on text that arrives in pieces: {@link #restore} writes everything it is sure of and returns where a
 * stand-in might still be cut off (a possible stand-in prefix at the end, or a whole stand-in whose boundary byte has
 * not arrived), so a stream holds back only those few bytes.
 *
 * <p>Exactness is the point: on the next turn the client sends this text back, the forwarding side swaps the values
 * again, and the provider must see exactly what it wrote (a thinking block's signature covers its text). So a
 * stand-in is mapped back only where the forwarding side would map the result back to that same stand-in: same
 * boundaries ({@link Boundaries}), and not where the developer's value followed by what comes next would read as a
 * longer value of theirs ({@code /home/developer/src/calc} when their workspace is {@code /home/alice/src/calc}:
 * that is left as the model wrote it).
 */
final class TextRestorer {
    private final List<StandIns.Pair> pairs;

    TextRestorer(StandIns standIns) {
        this.pairs = standIns.byStandIn();
    }

    /**
     * Restores {@code buf[0, len)} into {@code out} up to the index it returns; the bytes from there on must be
     * offered again with what follows (or with {@code last} when nothing follows).
     *
     * @param prev  the byte right before {@code buf} in its text (0 at the start)
     * @param prev2 the byte before that (0 when none)
     * @param last  nothing follows: the end of the text is a boundary and nothing is held
     */
    int restore(byte[] buf, int len, byte prev, byte prev2, boolean last, ByteArrayOutputStream out) {
        int i = 0;
        scan:
        while (i < len) {
            byte p1 = i >= 1 ? buf[i - 1] : prev;
            byte p2 = i >= 2 ? buf[i - 2] : i == 1 ? prev : prev2;
            for (StandIns.Pair p : pairs) {
                byte[] s = p.standIn();
                if (buf[i] != s[0] || !Boundaries.startsAfter(p.kind(), p1, p2)) {
                    continue;
                }
                int end = i + s.length;
                if (end >= len) {
                    int avail = len - i;
                    if (!Arrays.equals(buf, i, len, s, 0, Math.min(avail, s.length))) {
                        continue;
                    }
                    if (!last) {
                        return i; // a stand-in cut off, or one whose boundary byte is still to come
                    }
                    if (end > len) {
                        continue; // the text ended inside it: not a stand-in
                    }
                } else if (!Arrays.equals(buf, i, end, s, 0, s.length) || !Boundaries.endsBefore(p.kind(), buf[end])) {
                    continue;
                }
                Verdict v = longerOwn(p, buf, end, len, last);
                if (v == Verdict.UNDECIDED) {
                    return i;
                }
                out.writeBytes(v == Verdict.AMBIGUOUS ? s : p.own());
                i = end;
                continue scan;
            }
            out.write(buf[i]);
            i++;
        }
        return len;
    }

    private enum Verdict { CLEAR, AMBIGUOUS, UNDECIDED }

    /** Would the developer's value of {@code p}, followed by {@code buf[from, len)}, read as a longer value of theirs? */
    private Verdict longerOwn(StandIns.Pair p, byte[] buf, int from, int len, boolean last) {
        byte[] own = p.own();
        for (StandIns.Pair q : pairs) {
            byte[] longer = q.own();
            if (q == p || q.kind() != StandIns.Kind.PATH || longer.length <= own.length
                    || !Arrays.equals(longer, 0, own.length, own, 0, own.length)) {
                continue;
            }
            int restLen = longer.length - own.length;
            int avail = len - from;
            if (avail <= restLen) {
                if (Arrays.equals(buf, from, len, longer, own.length, own.length + avail)) {
                    if (!last) {
                        return Verdict.UNDECIDED;
                    }
                    if (avail == restLen) {
                        return Verdict.AMBIGUOUS;
                    }
                }
                continue;
            }
            if (Arrays.equals(buf, from, from + restLen, longer, own.length, longer.length)
                    && Boundaries.endsBefore(q.kind(), buf[from + restLen])) {
                return Verdict.AMBIGUOUS;
            }
        }
        return Verdict.CLEAR;
    }

    /** A whole text at once. */
    byte[] restoreAll(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + 64);
        restore(text, text.length, (byte) 0, (byte) 0, true, out);
        return out.toByteArray();
    }

    /** True when no stand-in occurs in {@code text[0, len)} at all (a cheap test before any copying). */
    boolean clearOf(byte[] text, int len) {
        for (StandIns.Pair p : pairs) {
            if (UpstreamNormaliser.indexOf(text, 0, len, p.standIn()) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Would restoring {@code text[0, len)} change it? (A stand-in the answer side would map back occurs in it.) */
    boolean wouldChange(byte[] text, int len) {
        if (clearOf(text, len)) {
            return false;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 64);
        restore(text, len, (byte) 0, (byte) 0, true, out);
        return !Arrays.equals(out.toByteArray(), 0, out.size(), text, 0, len);
    }
}
