package dev.sluice.guard.engine;

import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.Location;
import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of detectors compiled into one keyword automaton, and the two phases of a scan:
 * <ol>
 *   <li>{@link BodyWalker} walks the body once, feeding every content string through the automaton and
 *       recording the keyword hits;</li>
 *   <li>for each string with hits, its decoded text is loaded once and the detectors behind those hits check
 *       the bytes around them. Each detector tells how far it looked, so a second hit inside that stretch is
 *       not checked again: a body of nothing but keywords still costs linear time.</li>
 * </ol>
 * Detectors that have no keyword (personal data) read every string, only when the policy turns them on.
 * Immutable and thread-safe; the scratch state lives in one {@link Work} per thread.
 */
public final class GuardEngine {
    private final Detector[] detectors;
    private final boolean[] injectionDetector;
    private final KeywordAutomaton automaton;
    private final int[] kwDetector;
    private final int[] kwLocal;
    private final int[] kwLength;
    private final byte[][] kwExact;
    private final ThreadLocal<Work> work = ThreadLocal.withInitial(() -> new Work(this));

    private GuardEngine(List<Detector> list) {
        detectors = list.toArray(Detector[]::new);
        injectionDetector = new boolean[detectors.length];
        List<byte[]> words = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        List<byte[]> exact = new ArrayList<>();
        for (int d = 0; d < detectors.length; d++) {
            injectionDetector[d] = detectors[d].rules().stream().allMatch(r -> r.category() == Category.INJECTION);
            List<Keyword> keywords = detectors[d].keywords();
            for (int k = 0; k < keywords.size(); k++) {
                byte[] w = keywords.get(k).bytes();
                words.add(w);
                owners.add(new int[] {d, k});
                exact.add(keywords.get(k).exact() ? w : null);
            }
        }
        for (String escape : PERCENT_ESCAPES) {
            // Owned by no detector: a hit says the string is read again with its percent escapes decoded (Work.reread).
            byte[] w = escape.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            words.add(w);
            owners.add(new int[] {detectors.length, 0});
            exact.add(null);
        }
        automaton = KeywordAutomaton.build(words);
        kwDetector = owners.stream().mapToInt(o -> o[0]).toArray();
        kwLocal = owners.stream().mapToInt(o -> o[1]).toArray();
        kwLength = words.stream().mapToInt(w -> w.length).toArray();
        kwExact = exact.toArray(byte[][]::new);
    }

    /**
     * The percent escapes of the characters credentials are written with ({@code _ - = @ : / +}), matched in either
     * case: a string holding one ({@code ghp%5F...}, {@code sk-ant-api03%2D...}, {@code https%3A%2F%2Fuser%3Apass%40host})
     * read again around them with its escapes decoded ({@link Work#rereadPercent}).
     */
    private static final String[] PERCENT_ESCAPES = {"%5f", "%2d", "%3d", "%40", "%3a", "%2f", "%2b"};

    public static GuardEngine of(List<Detector> detectors) {
        return new GuardEngine(detectors);
    }

    KeywordAutomaton automaton() {
        return automaton;
    }

    /** This thread's scratch state (for the phase benchmark, which times the steps of a scan one by one). */
    Work work() {
        return work.get();
    }

    int detectorCount() {
        return detectors.length;
    }

    /** What one scan found and how much it read. */
    public record Result(List<Finding> findings, int strings, int keywordHits, boolean truncated) {
    }

    /**
     * Scans {@code body[0, length)}: the whole body when {@code afterMessage < 0}, else from offset
     * {@code resumeAt}, the end of {@code messages[afterMessage]}, onwards.
     */
    public Result scan(byte[] body, int length, int resumeAt, int afterMessage, GuardPolicy policy, BodyWalker.MemberHook hook) {
        Work w = work.get();
        try {
            w.start(policy, body);
            if (afterMessage < 0) {
                w.walker.walkWhole(body, length, hook);
            } else {
                w.walker.walkAfterMessage(body, length, resumeAt, afterMessage, hook);
            }
            w.prefilter.run(w.walker.decoded, w.walker.segments.count(), w.hits);
            process(w);
            return finish(w);
        } catch (RuntimeException e) {
            work.remove(); // a refused body may have grown the scratch to its bounds
            throw e;
        }
    }

    /** Scans one JSON value (an answer's tool input) found at {@code body[from, to)} as {@code content[block].input}. */
    public Result scanToolInput(byte[] body, int from, int to, int block, GuardPolicy policy) {
        Work w = work.get();
        try {
            w.start(policy, body);
            w.walker.walkToolInput(body, from, to, block);
            w.prefilter.run(w.walker.decoded, w.walker.segments.count(), w.hits);
            process(w);
            return finish(w);
        } catch (RuntimeException e) {
            work.remove();
            throw e;
        }
    }

    private Result finish(Work w) {
        Result r = new Result(Overlaps.resolve(w.findings), w.walker.segments.count(), w.hits.size() / 3,
                w.truncated || w.prefilter.saturated);
        if (w.oversized()) {
            work.remove(); // an unusually large body's scratch is not kept by an event loop for good
        }
        return r;
    }

    private boolean[] active(GuardPolicy policy) {
        boolean[] on = new boolean[detectors.length];
        for (int d = 0; d < detectors.length; d++) {
            for (Rule r : detectors[d].rules()) {
                on[d] |= policy.enabled(r);
            }
        }
        return on;
    }

    /** Phase two of a scan: the detectors behind the hits of the walk in {@code w}, and those that read every string. */
    void process(Work w) {
        process(w, true);
    }

    /**
     * As {@link #process(Work)}. A detector that reads every string may search all of them at once instead
     * ({@link Detector#markCandidates}); then only the strings with a keyword hit or one of its candidates are loaded.
     * With {@code searchAll} false, every string is loaded and read by such a detector itself (tests compare the two).
     */
    void process(Work w, boolean searchAll) {
        boolean[] on = active(w.policy);
        Decoded decoded = w.walker.decoded;
        int[] readers = new int[detectors.length];
        int readerCount = 0;
        for (int d = 0; d < detectors.length; d++) {
            if (on[d] && detectors[d].scansAll()) {
                readers[readerCount++] = d;
            }
        }
        long[] starts = null;
        int marked = -1;
        for (int r = 0; r < readerCount && searchAll && marked < 0; r++) {
            long[] bits = w.candidateBits(decoded.length);
            if (detectors[readers[r]].markCandidates(decoded.bytes, decoded.length, bits)) {
                starts = bits;
                marked = readers[r];
            }
        }
        boolean everyString = readerCount > (marked >= 0 ? 1 : 0);
        Segments seg = w.walker.segments;
        IntArray hits = w.hits;
        int h = 0;
        int hn = hits.size();
        IntArray disguised = w.disguised;
        DisguiseSearch.segments(decoded, seg.count(), disguised);
        int dq = 0;
        for (int s = 0; s < seg.count(); s++) {
            boolean hit = h < hn && hits.get(h) == s;
            boolean reread = dq < disguised.size() && disguised.get(dq) == s;
            boolean encoded = seg.isBase64Text(s);
            if (!everyString && !hit && !reread && !encoded && (starts == null || !anyBit(starts, decoded.start[s], decoded.size[s]))) {
                if (starts == null && h >= hn && dq >= disguised.size() && !seg.anyBase64Text()) {
                    break;
                }
                continue;
            }
            w.loadSegment(w.text, s);
            w.percentAt.clear();
            Arrays.fill(w.resume, 0);
            Arrays.fill(w.marks, 0);
            while (h < hn && hits.get(h) == s) {
                dispatch(w, w.text, hits.get(h + 1), hits.get(h + 2), w.resume, on, ALL);
                h += 3;
            }
            for (int r = 0; r < readerCount; r++) {
                w.detector = readers[r];
                if (readers[r] == marked) {
                    detectors[marked].scanCandidates(w.text, starts, decoded.start[s], w);
                } else {
                    detectors[readers[r]].scanAll(w.text, w);
                }
            }
            if (encoded) {
                w.encodedText(w.text);
            }
            boolean injected = w.finishInjection(w.text);
            if (!reread) {
                w.rereadPercent(w.text, -1);
            }
            w.percentAt.clear();
            if (reread) {
                w.reread(w.text, 0, w.text.length(), -1, !injected);
                dq++;
            }
        }
        Seams.read(w);
    }

    /**
     * Phase two for a text read again without its disguises ({@link Work#reread}): the automaton over it, the detectors
     * behind its hits and those that read every string; the injection detectors only with {@code injection} (a whole
     * string whose text as written scored no finding: {@code ig<U+00AD>nore previous instructions}), scored as one string.
     */
    void reread(Work w, Text t, boolean injection) {
        boolean[] on = active(w.policy);
        automaton(w, t, w.rereadHits, w.rereadResume, w.rereadMarks, on, injection ? ALL : NO_INJECTION);
        for (int d = 0; d < detectors.length; d++) {
            if (on[d] && detectors[d].scansAll() && (injection || !injectionDetector[d])) {
                w.detector = d;
                detectors[d].scanAll(t, w);
            }
        }
        if (injection) {
            w.finishInjection(t);
        }
    }

    /** True when a bit of {@code bits} is set for an offset in {@code [from, from + size)}. */
    private static boolean anyBit(long[] bits, int from, int size) {
        int to = from + size;
        if (size <= 0) {
            return false;
        }
        int first = from >>> 6;
        int last = (to - 1) >>> 6;
        if (first == last) {
            return (bits[first] & -1L << from & -1L >>> (63 - ((to - 1) & 63))) != 0;
        }
        if ((bits[first] & -1L << from) != 0 || (bits[last] & -1L >>> (63 - ((to - 1) & 63))) != 0) {
            return true;
        }
        for (int i = first + 1; i < last; i++) {
            if (bits[i] != 0) {
                return true;
            }
        }
        return false;
    }

    private static final int ALL = 0;
    private static final int INJECTION_ONLY = 1;
    private static final int NO_INJECTION = 2;

    private void dispatch(Work w, Text t, int state, int end, int[] resume, boolean[] on, int which) {
        for (int kw : automaton.matches(state)) {
            int d = kwDetector[kw];
            if (d == detectors.length) {
                w.percentAt(end);
                continue;
            }
            if (!on[d] || which == INJECTION_ONLY && !injectionDetector[d] || which == NO_INJECTION && injectionDetector[d]) {
                continue;
            }
            int start = end - kwLength[kw];
            if (start < resume[d] || (kwExact[kw] != null && !t.matches(start, kwExact[kw]))) {
                continue;
            }
            if (++w.checks > Work.MAX_CHECKS) {
                // A body made of keywords: stop checking (a few microseconds each) and say the scan is incomplete.
                w.truncated = true;
                return;
            }
            w.detector = d;
            resume[d] = Math.max(resume[d], detectors[d].check(t, kwLocal[kw], start, end, w));
        }
    }

    /** Runs the detectors other than the injection ones over a decoded payload (called from inside a scan). */
    void runSecrets(Work w, Text t) {
        automaton(w, t, w.nestedHits, w.nestedResume, w.nestedMarks, active(w.policy), NO_INJECTION);
    }

    /** Runs the injection detectors over a decoded payload (called from inside a scan). */
    void runInjection(Work w, Text t) {
        automaton(w, t, w.nestedHits, w.nestedResume, w.nestedMarks, active(w.policy), INJECTION_ONLY);
    }

    /** The keyword automaton over one text apart from the body's walk, with its own scratch, and the detectors behind its hits. */
    private void automaton(Work w, Text t, IntArray hits, int[] resume, int[] marks, boolean[] on, int which) {
        hits.clear();
        feed(t.bytes(), 0, t.length(), 0, hits);
        Arrays.fill(resume, 0);
        Arrays.fill(marks, 0);
        for (int i = 0; i < hits.size(); i += 2) {
            dispatch(w, t, hits.get(i), hits.get(i + 1), resume, on, which);
        }
    }

    /**
     * Runs the automaton over {@code b[from, to)} from {@code state}, appending (state, end offset relative to
     * {@code from}) pairs to {@code hits}; returns the state after the last byte, so text arriving in pieces
     * can be fed piece by piece.
     */
    public int feed(byte[] b, int from, int to, int state, IntArray hits) {
        return feed(b, from, to, state, hits, 0);
    }

    /** As {@link #feed(byte[], int, int, int, IntArray)}, with hit offsets counted from {@code base} at {@code from}. */
    public int feed(byte[] b, int from, int to, int state, IntArray hits, int base) {
        byte[] cls = automaton.classes();
        int[] table = automaton.table();
        int firstMatch = automaton.firstMatch();
        int row = state;
        for (int i = from; i < to; i++) {
            row = table[row + cls[b[i] & 0xff]];
            if (row >= firstMatch && hits.size() < 2 * Prefilter.MAX_HITS) {
                hits.add(row);
                hits.add(base + i - from + 1);
            }
        }
        return row;
    }

    /**
     * Checks plain text (an answer's text, already decoded) and returns what it proves: the hits
     * {@code [fromHit, toHit)}, and, for the detectors that read every byte (personal data) when the policy turns them
     * on, the candidates that start before {@code scanLimit}; and the text around each disguising character before
     * {@code rereadLimit}, read again without its disguises. The caller keeps {@code state} across calls for the
     * same text: how far each detector looked, and the injection signals so far, so a stream is scored as one text.
     * A text still growing passes limits far enough behind its length for every candidate before them to be complete;
     * the last call passes the text's length.
     */
    public List<Finding> checkText(Text text, IntArray hits, int fromHit, int toHit, int scanLimit, int rereadLimit,
            GuardPolicy policy, Location where, TextState state) {
        Work w = work.get();
        w.start(policy, null);
        w.plainLocation = where;
        boolean[] on = active(policy);
        System.arraycopy(state.resume, 0, w.resume, 0, w.resume.length);
        System.arraycopy(state.marks, 0, w.marks, 0, w.marks.length);
        for (int i = fromHit; i < toHit; i += 2) {
            dispatch(w, text, hits.get(i), hits.get(i + 1), w.resume, on, ALL);
        }
        // The percent escapes among those hits: the text around each read again decoded, as a request's is. A hit is
        // checked once far more than a window's bytes follow it, so each window is whole; windows, not the text.
        state.percentTo = Math.max(state.percentTo, w.rereadPercent(text, state.percentTo));
        for (int d = 0; d < detectors.length; d++) {
            if (on[d] && detectors[d].scansAll() && state.scanned[d] < scanLimit) {
                w.detector = d;
                state.scanned[d] = detectors[d].scanAll(text, state.scanned[d], scanLimit, w);
            }
        }
        rereadDisguised(w, text, Math.min(rereadLimit, text.length()), state);
        System.arraycopy(w.resume, 0, state.resume, 0, w.resume.length);
        System.arraycopy(w.marks, 0, state.marks, 0, w.marks.length);
        state.take(w.injection);
        if (!state.reported && !state.signals.isEmpty() && state.signals.score() >= policy.injectionThreshold()) {
            state.reported = true;
            state.signals.copyTo(w.injection);
            w.finishInjection(text);
        }
        return Overlaps.resolve(w.findings);
    }

    /**
     * The disguising characters of a text checked in pieces, from where the last call stopped to {@code limit}: each is
     * read again in a window of {@value #REREAD_WINDOW} bytes either side (a growing text is read far enough ahead for
     * that), and a character inside the second half of the last window starts none of its own, so a long text costs at
     * most four readings of each byte. A secret of up to half a window around a disguising character is whole in one.
     */
    private void rereadDisguised(Work w, Text text, int limit, TextState state) {
        int from = state.rereadFrom;
        int p;
        while ((p = DisguiseSearch.next(text.bytes(), from, limit)) >= 0) {
            int to = Math.min(text.length(), p + REREAD_WINDOW);
            w.reread(text, Math.max(0, p - REREAD_WINDOW), to, state.rereadTo, false);
            state.rereadTo = to;
            from = Math.max(p + 1, to - REREAD_WINDOW / 2);
        }
        // A character cut by the limit is looked at again next time.
        state.rereadFrom = Math.max(from, limit - 2);
    }

    /**
     * True when {@code b[0, limit)}, a text checked in pieces, holds a disguising character past those already read
     * again: then {@link #checkText} has work even without a keyword hit. Remembers how far it looked.
     */
    public boolean disguised(byte[] b, int limit, TextState state) {
        int p = DisguiseSearch.next(b, state.rereadFrom, limit);
        if (p < 0) {
            state.rereadFrom = Math.max(state.rereadFrom, limit - 2);
            return false;
        }
        state.rereadFrom = p;
        return true;
    }

    /** How many bytes either side of the seam between two adjacent text blocks are read together ({@link #seam}). */
    public static final int SEAM_WINDOW = Seams.WINDOW;

    /**
     * Reads the end of text {@code a} and the start of text {@code b}, adjacent text blocks of an answer, as one text:
     * a provider's client shows them joined, so a credential split at the seam is whole there. One found is reported as
     * two findings, the part in {@code a} at {@code whereA} and the part in {@code b} at {@code whereB} (offsets in each
     * text). Reads at most {@value Seams#WINDOW} bytes either side; nothing when a space, line break or sentence end
     * separates the two.
     */
    public List<Finding> seam(Text a, Location whereA, Text b, Location whereB, GuardPolicy policy) {
        if (!Seams.joined(a.bytes(), a.length(), b.bytes(), b.length())) {
            return List.of();
        }
        Work w = work.get();
        w.start(policy, null);
        w.seam(a, b, whereA, whereB);
        return List.copyOf(w.findings);
    }

    /** How far either side of a disguising character in an answer its second reading looks. */
    static final int REREAD_WINDOW = 8192;

    /** True when {@code policy} turns on a detector that reads every byte of a text (personal data). */
    public boolean readsEveryByte(GuardPolicy policy) {
        boolean[] on = active(policy);
        for (int d = 0; d < detectors.length; d++) {
            if (on[d] && detectors[d].scansAll()) {
                return true;
            }
        }
        return false;
    }

    /** A text checked in pieces: per-detector progress and the injection signals so far. */
    public static final class TextState {
        final int[] resume;
        final int[] marks;
        /** Per detector that reads every byte: the offset its scan resumes from. */
        final int[] scanned;
        final InjectionScore signals = new InjectionScore();
        boolean reported;
        /** Where the search for disguising characters resumes, and the end of the last window read again. */
        int rereadFrom;
        int rereadTo = -1;
        /** The end of the last window read again around percent escapes. */
        int percentTo = -1;

        public TextState(GuardEngine engine) {
            resume = new int[engine.detectorCount()];
            marks = new int[engine.detectorCount()];
            scanned = new int[engine.detectorCount()];
        }


        void take(InjectionScore fresh) {
            fresh.copyTo(signals);
            fresh.clear();
        }
    }
}
