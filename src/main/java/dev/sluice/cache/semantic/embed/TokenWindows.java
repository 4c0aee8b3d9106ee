package dev.sluice.cache.semantic.embed;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * Cuts a text's WordPiece ids into windows with content-defined boundaries, so an edit changes only
 * the windows it touches (the idea of content-defined chunking in rsync and backup tools, on tokens):
 * <ol>
 *   <li>a text of at most {@link #WHOLE} (64) tokens is one window (every short question embeds exactly
 *       as the whole text always did);</li>
 *   <li>otherwise each token gets a rank: a hash of it and its predecessor, raised above every
 *       ordinary token when it ends a sentence ('.', '?', '!', or a line break follows it);</li>
 *   <li>a window ends after a token that outranks every other token within {@link #RADIUS} on either
 *       side (local-maximum chunking: cuts are at least {@code RADIUS + 1} = 8 tokens apart, about 15
 *       on average, and fall on a sentence end whenever one is near); at {@link #MAX} tokens at the
 *       latest;</li>
 *   <li>the first window holds at least {@link #MIN} tokens, and a last window shorter than {@link #TAIL}
 *       (= {@link #MIN}) joins the one before it: windows of a few tokens embed as little more than their
 *       [CLS] and [SEP], and a span composed with one is noise.</li>
 * </ol>
 * Whether a token ends a window depends only on the {@link #RADIUS} tokens either side of it, never on
 * where the previous window ended (a minimum length counted from the previous cut would chain: one
 * shifted cut shifts the next, and an insertion at the start can move every boundary; the first version
 * did, see docs/bench/semantic.md). So an edit changes the windows near it and no others, except after
 * a {@link #MAX} cut (a stretch without a local maximum), which holds until the next content cut.
 *
 * <p>Why windows this small (they were 16 to 64 tokens, radius 15): a near-duplicate costs one
 * transformer run over its changed windows, and that run's time grows with its tokens (≈ 0.07 ms each
 * on the 2-core host, ≈ 0.5 ms fixed), so the changed window's length is the lookup's latency: over
 * the latency bench's near-duplicates the tokens run fell from p50 33 / p99 75 to 23 / 48. Smaller
 * windows are also stricter, since one changed word weighs more in a window of 15 tokens than of 33:
 * with the labelled questions placed at the end or in the middle of a long prompt (WindowBoundsBench),
 * different-answer pairs served fell from 4 + 4 of 218 to 3 + 0, same-answer pairs served 105 + 75 to
 * 96 + 82 of 154. The last window used to join the one before it when shorter than 16 tokens, so that an
 * appended thank-you was judged with the question it follows; that merge also kept a short final question
 * together with the context before it, diluted past the threshold (3 different-answer pairs served). Now
 * the matcher aligns the windows by the unchanged ones and embeds a short insertion together with its
 * neighbour at lookup time only (WindowPlan), so the cutter merges only what is under {@link #MIN}:
 * 0 different-answer pairs, and the bench's near-duplicates all pass (docs/bench/semantic.md, h-sem5).
 */
public final class TokenWindows {
    /** A cut outranks every token this close on either side; windows hold at least RADIUS + 1 tokens. */
    public static final int RADIUS = 7;
    public static final int MIN = RADIUS + 1;
    public static final int MAX = 32;
    /** A last window shorter than this joins the one before it (benchmarks compare other values). */
    public static final int TAIL = MIN;
    /** A text of at most this many tokens is one window, whatever the window bounds (short questions keep their vector). */
    public static final int WHOLE = 64;

    private final int[] sentenceEnds;
    private final int radius;
    private final int min;
    private final int max;
    private final int tail;

    public TokenWindows(WordPiece tokenizer) {
        this(tokenizer, RADIUS, MAX, TAIL);
    }

    /**
     * Other bounds for texts over {@link #WHOLE} tokens: cuts outrank {@code radius} tokens either side, windows end by
     * {@code max}, a last window shorter than {@code tail} joins the one before it.
     */
    public TokenWindows(WordPiece tokenizer, int radius, int max, int tail) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (radius < 1 || max < 2 * (radius + 1)) {
            throw new IllegalArgumentException("radius, max: " + radius + ", " + max + " (expected: radius >= 1, max >= 2 * (radius + 1))");
        }
        sentenceEnds = Arrays.stream(new String[] {".", "?", "!"}).mapToInt(tokenizer::id).filter(i -> i >= 0).sorted().toArray();
        this.radius = radius;
        this.min = radius + 1;
        this.max = max;
        this.tail = Math.max(tail, 1);
    }

    /** The end offsets (exclusive, ascending, the last is {@code n}) of the windows of {@code ids[0..n)}. */
    public int[] ends(int[] ids, int n, BitSet lineEnds) {
        if (n <= WHOLE) {
            return new int[] {n};
        }
        long[] rank = new long[n];
        for (int i = 0; i < n; i++) {
            boolean sentence = Arrays.binarySearch(sentenceEnds, ids[i]) >= 0 || (lineEnds != null && lineEnds.get(i));
            rank[i] = (mix(i == 0 ? 0 : ids[i - 1], ids[i]) & 0xFFFFFFFFL) | (sentence ? 1L << 32 : 0);
        }
        int[] ends = new int[n / min + 2];
        int count = 0;
        int start = 0;
        for (int i = 0; i < n; i++) {
            int len = i + 1 - start;
            if ((len >= min && localMax(rank, i, radius)) || len >= max) {
                ends[count++] = i + 1;
                start = i + 1;
            }
        }
        if (start < n) {
            ends[count++] = n;
        }
        // Also when a cut fell on the last token (a sentence end): a few appended words are no window of their own.
        if (count > 1 && n - ends[count - 2] < tail) {
            ends[count - 2] = n;
            count--;
        }
        return Arrays.copyOf(ends, count);
    }

    private static boolean localMax(long[] rank, int i, int radius) {
        for (int j = Math.max(0, i - radius), to = Math.min(rank.length - 1, i + radius); j <= to; j++) {
            if (j != i && rank[j] >= rank[i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int previous, int id) {
        long h = (previous * 0x9E3779B97F4A7C15L) ^ (id * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
