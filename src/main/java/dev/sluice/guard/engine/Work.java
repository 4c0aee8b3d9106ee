package dev.sluice.guard.engine;

import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.Location;
import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.Source;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Text;
import dev.sluice.guard.detect.Undisguise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The per-thread state of one scan, and the {@link Emitter} detectors report to: it maps decoded offsets
 * back to raw ones, builds locations, keeps each detector's scratch mark, and collects the injection
 * signals of the current string. Reused by every scan on its thread, so a scan allocates little beyond its findings.
 */
final class Work implements Emitter {
    /** Findings kept per scan; a body past this is reported as truncated. */
    static final int MAX_FINDINGS = 10_000;
    /** Detector checks per scan: a real 700 KB body needs about 1,500; a body of nothing but keywords stops here. */
    static final int MAX_CHECKS = 100_000;
    /** The strongest primary injection signal of a reported string weighs at least this. */
    static final double MIN_STRONGEST = 0.45;

    /**
     * Bytes decoded from base64 runs and read for credentials per scan ({@link #secretIn}): a body of nothing but
     * encoded {@code TOKEN=} lines is read this far and then said to be incomplete.
     */
    static final int MAX_DECODED = 1 << 20;

    /** Decoded text kept for the thread's next scan: past this (a body of ~5 MB) a scan's scratch is dropped. */
    static final int KEEP_DECODED_BYTES = 8 << 20;

    final BodyWalker walker;
    final Prefilter prefilter;
    /** Keyword hits of the last walk: segment, automaton row, decoded end offset. */
    final IntArray hits = new IntArray(1024);
    final Locator locator;
    final Text text = new Text();
    final Text value = new Text();
    final Text nested = new Text();
    final InjectionScore injection = new InjectionScore();
    final InjectionScore nestedInjection = new InjectionScore();
    final IntArray nestedHits = new IntArray(64);
    final int[] resume;
    final int[] marks;
    final int[] nestedResume;
    final int[] nestedMarks;
    /** A string read again without its disguises ({@link #reread}): its text, hits and per-detector state. */
    final Undisguise undisguise = new Undisguise();
    final IntArray rereadHits = new IntArray(64);
    final int[] rereadResume;
    final int[] rereadMarks;
    /** The segments of the last walk that hold a disguising character, in order. */
    final IntArray disguised = new IntArray(16);
    boolean rereading;
    /** Where the current segment holds a percent escape of a credential's character (decoded end offsets, in order). */
    final IntArray percentAt = new IntArray(16);
    /** Where the payload {@link #secretIn} reads holds a percent escape (its decoded end offsets, in order). */
    private final IntArray nestedPercentAt = new IntArray(16);
    /** How far either side of a percent escape its second reading looks: a credential is shorter. */
    static final int PERCENT_WINDOW = 256;
    /** Percent escapes remembered per string: past this many, the windows read cover the string's first ones only. */
    private static final int MAX_PERCENT = 1 << 14;
    /** The last key segment (a tool input's) with a finding of its own, or -1. */
    int foundInKey = -1;
    /** While rereading: a finding that ends at or before this raw offset was found by an earlier reading (-1: none). */
    int foundUpTo = -1;
    final List<Finding> findings = new ArrayList<>();
    final GuardEngine engine;
    GuardPolicy policy;
    int detector;
    int checks;
    int nestedDepth;
    boolean truncated;
    /** What {@link #secretIn} may still decode in this scan. */
    int decodeBudget;
    /** While {@link #secretIn} reads a payload: its most severe credential so far. */
    private boolean collecting;
    private Rule nestedSecret;
    /** While {@link #seam} reads a join: what it found, as decoded (start, end) pairs and rules. */
    private final IntArray seamFound = new IntArray(8);
    private boolean seaming;
    private final List<Rule> seamRules = new ArrayList<>();
    /** For texts that are not segments of the walk (answer text): where their findings are. */
    Location plainLocation;
    /** A bit per decoded byte: where a detector that searches all strings at once found candidates ({@link #candidateBits}). */
    private long[] candidates = new long[0];
    /** Who wrote each segment of the last walk, asked for lazily by {@link Text#source()}. */
    private final IntFunction<Source> sourceOf;

    Work(GuardEngine engine) {
        this.engine = engine;
        this.walker = new BodyWalker();
        this.prefilter = new Prefilter(engine.automaton());
        this.locator = new Locator(walker);
        this.sourceOf = locator::source;
        this.resume = new int[engine.detectorCount()];
        this.marks = new int[engine.detectorCount()];
        this.nestedResume = new int[engine.detectorCount()];
        this.nestedMarks = new int[engine.detectorCount()];
        this.rereadResume = new int[engine.detectorCount()];
        this.rereadMarks = new int[engine.detectorCount()];
    }

    /** Room for a bit per byte of {@code n} decoded bytes and two words more, reused from scan to scan. */
    long[] candidateBits(int n) {
        int words = (n >>> 6) + 2;
        if (candidates.length < words || candidates.length > 4 * words && candidates.length > (1 << 17)) {
            candidates = new long[words + words / 2];
        }
        return candidates;
    }

    void start(GuardPolicy p, byte[] body) {
        policy = p;
        locator.body(body);
        findings.clear();
        injection.clear();
        truncated = false;
        checks = 0;
        nestedDepth = 0;
        decodeBudget = MAX_DECODED;
        percentAt.clear();
        foundInKey = -1;
        plainLocation = null;
    }

    @Override
    public boolean enabled(Rule rule) {
        return policy.enabled(rule);
    }

    @Override
    public void report(Text t, Rule rule, int start, int end) {
        if (nestedDepth > 0 && collecting && policy.enabled(rule) && rule.category() == Category.SECRET
                && (nestedSecret == null || rule.severity().compareTo(nestedSecret.severity()) > 0)) {
            nestedSecret = rule;
        }
        if (seaming && policy.enabled(rule) && rule.category() == Category.SECRET) {
            seamFound.add(start);
            seamFound.add(end);
            seamRules.add(rule);
        }
        if (nestedDepth > 0 || !policy.enabled(rule) || rereading && t.rawEndOffset(end) <= foundUpTo) {
            return;
        }
        if (findings.size() >= MAX_FINDINGS) {
            truncated = true;
            return;
        }
        findings.add(new Finding(rule.name(), rule.category(), rule.severity(), t.rawOffset(start), t.rawEndOffset(end),
                where(t, start), 1.0));
        if (t.isKey()) {
            foundInKey = t.id();
        }
    }

    private Location where(Text t, int at) {
        int line = t.lineOf(at);
        if (t.id() < 0) {
            return atLine(plainLocation, line);
        }
        // A tool input's key is the segment just before its string value: a finding in the key keeps it out of the value's location.
        return locator.location(t.id(), line, t.source(), t.id() > 0 && t.id() - 1 == foundInKey);
    }

    private static Location atLine(Location p, int line) {
        return new Location(p.section(), p.index(), p.block(), p.part(), p.blockType(), p.field(), p.source(), line);
    }

    @Override
    public void signal(Text t, Rule rule, int start, int end, double weight, boolean primary) {
        if (!policy.enabled(rule)) {
            return;
        }
        (nestedDepth > 0 ? nestedInjection : injection).add(rule, start, end, weight, primary);
    }

    /** Turns the current string's injection signals into a finding when they reach the policy's threshold; true when it did. */
    boolean finishInjection(Text t) {
        if (injection.isEmpty()) {
            return false;
        }
        boolean found = false;
        double score = injection.score();
        int best = injection.strongest();
        // Many weak phrases ("you are now", "act as", "developer mode") add up in ordinary text; a finding needs one strong one.
        if (best >= 0 && score >= policy.injectionThreshold() && injection.weight(best) >= MIN_STRONGEST) {
            Rule rule = injection.rule(best);
            if (findings.size() < MAX_FINDINGS) {
                findings.add(new Finding(rule.name(), Category.INJECTION, score >= 0.9 ? Severity.CRITICAL : Severity.HIGH,
                        t.rawOffset(injection.start(best)), t.rawEndOffset(injection.end(best)), where(t, injection.start(best)),
                        Math.round(score * 1000) / 1000.0));
                found = true;
            } else {
                truncated = true;
            }
        }
        injection.clear();
        return found;
    }

    @Override
    public Text valueOf(Text key) {
        int k = key.id();
        Segments seg = walker.segments;
        if (k < 0 || k + 1 >= seg.count() || seg.isKey(k + 1)) {
            return null;
        }
        byte[] body = walker.body();
        for (int i = seg.rawEnd(k) + 1; i < seg.rawStart(k + 1) - 1; i++) {
            int c = body[i];
            if (c != ':' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        loadSegment(value, k + 1);
        return value;
    }

    void loadSegment(Text into, int s) {
        Segments seg = walker.segments;
        Decoded decoded = walker.decoded;
        into.load(s, decoded.bytes, decoded.start[s], decoded.size[s], seg.rawStart(s), seg.rawEnd(s), walker.escapes.array(),
                decoded.escDecoded, decoded.escRawLength, decoded.escLength, seg.escFrom(s), seg.escTo(s), sourceOf, seg.isKey(s));
    }

    @Override
    public double injectionScore(byte[] bytes, int from, int to) {
        if (nestedDepth > 0 || to <= from) {
            return 0;
        }
        int saved = detector;
        nestedDepth++;
        try {
            nested.loadPlain(bytes, from, to, 0, Source.TOOL_RESULT);
            nestedInjection.clear();
            engine.runInjection(this, nested);
            return nestedInjection.score();
        } finally {
            nestedDepth--;
            detector = saved;
        }
    }

    @Override
    public Rule secretIn(byte[] bytes, int from, int to) {
        if (nestedDepth > 0 || to <= from || to - from > decodeBudget) {
            truncated |= nestedDepth == 0 && to - from > decodeBudget;
            return null;
        }
        decodeBudget -= to - from;
        int saved = detector;
        nestedDepth++;
        collecting = true;
        nestedSecret = null;
        try {
            nestedPercentAt.clear();
            nested.loadPlain(bytes, from, to, 0, Source.TOOL_RESULT);
            engine.runSecrets(this, nested);
            if (nestedPercentAt.size() > 0) {
                // Two levels: a percent-encoded value in a base64 line (GITHUB_TOKEN=ghp%5F...). The windows around its
                // escapes are read decoded too, one more reading of at most the payload: the same budget bounds both.
                Arrays.fill(nestedMarks, 0);
                rereadPercent(nested, nestedPercentAt, -1);
            }
            return nestedSecret;
        } finally {
            collecting = false;
            nestedDepth--;
            detector = saved;
        }
    }

    /** Notes a percent escape ending at decoded offset {@code end} of the current segment (not of a text read again). */
    void percentAt(int end) {
        IntArray into = rereading ? null : nestedDepth == 0 ? percentAt : nestedDepth == 1 && collecting ? nestedPercentAt : null;
        if (into != null && into.size() < MAX_PERCENT) {
            into.add(end);
        }
    }

    /**
     * Reads the text around the percent escapes noted in {@code t} again with them decoded ({@link Undisguise}): windows
     * of {@value #PERCENT_WINDOW} bytes either side, joined where they meet, so each byte is read at most once more, and
     * a string of ordinary text with one {@code %2F} in a URL costs a window, not the string. Findings that end at or
     * before raw offset {@code foundBefore} are left out (an answer read in pieces: the last piece's windows had them);
     * returns the end of the last window read, or -1.
     */
    int rereadPercent(Text t, int foundBefore) {
        return rereadPercent(t, percentAt, foundBefore);
    }

    /** As {@link #rereadPercent(Text, int)} around the escapes {@code percentAt} holds. */
    private int rereadPercent(Text t, IntArray percentAt, int foundBefore) {
        int n = percentAt.size();
        int i = 0;
        int last = -1;
        while (i < n) {
            int from = Math.max(0, percentAt.get(i) - 3 - PERCENT_WINDOW);
            int to = Math.min(t.length(), percentAt.get(i) + PERCENT_WINDOW);
            while (i + 1 < n && percentAt.get(i + 1) - 3 - PERCENT_WINDOW < to) {
                i++;
                to = Math.min(t.length(), percentAt.get(i) + PERCENT_WINDOW);
            }
            last = edge(t, to, 1);
            reread(t, edge(t, from, -1), last, foundBefore, false);
            i++;
        }
        truncated |= n == MAX_PERCENT;
        return last;
    }

    /**
     * A window's edge moved, by at most {@value #PERCENT_WINDOW} bytes in direction {@code step}, to a space or line
     * break: a window that cut a long hash or blob would show a detector a piece of it, which may look like a token.
     */
    private static int edge(Text t, int at, int step) {
        byte[] b = t.bytes();
        int limit = step < 0 ? Math.max(0, at - PERCENT_WINDOW) : Math.min(t.length(), at + PERCENT_WINDOW);
        int p = at;
        while (p != limit && !Chars.space(b[step < 0 ? p - 1 : p])) {
            p += step;
        }
        return p;
    }

    /**
     * A text file's base64 ({@link Segments#BASE64_TEXT}): decoded whole, up to the scan's budget, and read for
     * credentials; one found is reported over the whole data, which a redaction replaces.
     */
    void encodedText(Text t) {
        byte[] b = t.bytes();
        int n = 0;
        int bits = 0;
        int acc = 0;
        // Whole groups of four characters, three bytes each, within the budget: a group more and secretIn would read none
        // of it (a text file of more than 1.4 MB of base64 was not read at all).
        int limit = Math.min(t.length(), decodeBudget / 3 * 4);
        byte[] out = new byte[limit / 4 * 3 + 3];
        for (int i = 0; i < limit; i++) {
            int c = b[i];
            int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
                    : c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
            if (v < 0) {
                if (c == '=') {
                    break;
                }
                continue; // line breaks inside the data
            }
            acc = acc << 6 | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >>> bits);
            }
        }
        truncated |= limit < t.length();
        Rule inside = n == 0 ? null : secretIn(out, 0, n);
        if (inside != null) {
            report(t, inside, 0, t.length());
        }
    }

    /**
     * Reads the end of segment {@code a}'s text and the start of {@code b}'s as one text ({@link Seams}); a credential
     * found across the seam is reported in each segment, the part there: the findings within one segment, the scan's
     * own pass had.
     */
    void seam(int a, int b) {
        if (nestedDepth > 0 || rereading) {
            return;
        }
        loadSegment(text, a);
        loadSegment(value, b);
        seam(text, value, null, null);
    }

    /**
     * As {@link #seam(int, int)} for two texts that are not segments of a walk (an answer's adjacent text blocks), whose
     * findings are at {@code atX} and {@code atY} (null: the segments' own locations).
     */
    void seam(Text x, Text y, Location atX, Location atY) {
        int from = Math.max(0, x.length() - Seams.WINDOW);
        int to = Math.min(y.length(), Seams.WINDOW);
        int n = x.length() - from;
        byte[] joined = Arrays.copyOf(Arrays.copyOfRange(x.bytes(), from, x.length()), n + to);
        System.arraycopy(y.bytes(), 0, joined, n, to);
        int saved = detector;
        nestedDepth++;
        seaming = true;
        seamFound.clear();
        seamRules.clear();
        try {
            nested.loadPlain(joined, 0, joined.length, 0, Source.OTHER);
            engine.runSecrets(this, nested);
        } finally {
            seaming = false;
            nestedDepth--;
            detector = saved;
        }
        for (int i = 0; i < seamRules.size(); i++) {
            int start = seamFound.get(2 * i);
            int end = seamFound.get(2 * i + 1);
            if (start >= n || end <= n || findings.size() + 2 > MAX_FINDINGS) {
                continue;
            }
            Rule rule = seamRules.get(i);
            findings.add(new Finding(rule.name(), rule.category(), rule.severity(), x.rawOffset(from + start),
                    x.rawEndOffset(x.length()), atX == null ? where(x, from + start) : atLine(atX, x.lineOf(from + start)), 1.0));
            findings.add(new Finding(rule.name(), rule.category(), rule.severity(), y.rawOffset(0),
                    y.rawEndOffset(end - n), atY == null ? where(y, 0) : atY, 1.0));
        }
    }

    @Override
    public int mark() {
        return (nestedDepth > 0 ? nestedMarks : rereading ? rereadMarks : marks)[detector];
    }

    @Override
    public void mark(int v) {
        (nestedDepth > 0 ? nestedMarks : rereading ? rereadMarks : marks)[detector] = v;
    }

    /**
     * Reads {@code t[from, to)} again without its disguises ({@link Undisguise}): every detector checks it (the injection
     * ones only with {@code injection}: for a whole string that showed none as written), and what they find is reported at
     * the body's raw offsets (the disguising bytes inside a secret included).
     * Findings that end at or before raw offset {@code foundBefore} are left out: an earlier reading of that stretch had them.
     */
    void reread(Text t, int from, int to, int foundBefore, boolean injection) {
        if (rereading || nestedDepth > 0 && !(nestedDepth == 1 && collecting)) {
            return; // one reading again per text; inside a decoded payload, only what secretIn reads
        }
        Text plain = undisguise.of(t, from, to);
        if (plain == null) {
            // A string of hundreds of thousands of invisible characters is not read again: the scan says it is incomplete.
            truncated |= undisguise.tooMany();
            return;
        }
        int saved = detector;
        rereading = true;
        foundUpTo = foundBefore;
        try {
            engine.reread(this, plain, injection);
        } finally {
            rereading = false;
            foundUpTo = -1;
            detector = saved;
        }
    }

    /** True when this scan grew scratch a usual body does not need; see {@link GuardEngine}'s scan. */
    boolean oversized() {
        return walker.segments.oversized() || walker.decoded.bytes.length > KEEP_DECODED_BYTES;
    }
}
