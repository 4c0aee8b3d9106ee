package dev.sluice.cache.semantic.embed;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * Cuts a text's WordPiece ids into windows with content-defined boundaries, so an edit changes only
 * the windows it touches (the idea of content-defined chunking in rsync and backup tools, on tokens):
 * <ol>
 *   <li>a text of at most {@link #MAX} tokens is one window (every short question embeds exactly as
 *       the whole text always did);</li>
 *   <li>otherwise each token gets a rank: a hash of it and its predecessor, raised above every
 *       ordinary token when it ends a sentence ('.', '?', '!', or a line break follows it);</li>
 *   <li>a window ends after a token that outranks every other token within {@link #RADIUS} on either
 *       side (local-maximum chunking: cuts are at least {@code RADIUS + 1} = 16 tokens apart, about 31
 *       on average, and fall on a sentence end whenever one is near); at {@link #MAX} tokens at the
 *       latest;</li>
 *   <li>the first window holds at least 16 tokens, and a tail shorter than 16 joins the window before
 *       it (a two-token window would be embedded out of all context).</li>
 * </ol>
 * Whether a token ends a window depends only on the 16 tokens either side of it, never on where the
 * previous window ended (a minimum length counted from the previous cut would chain: one shifted cut
 * shifts the next, and an insertion at the start can move every boundary; the first version did, see
 * docs/bench/semantic.md). So an edit changes the windows within about 16 tokens of it and no others,
 * except after a {@link #MAX} cut (a 64-token stretch without a local maximum: rare), which holds
 * until the next content cut.
 */
public final class TokenWindows {
    /** A cut outranks every token this close on either side; windows hold at least RADIUS + 1 tokens. */
    public static final int RADIUS = 15;
    public static final int MIN = RADIUS + 1;
    public static final int MAX = 64;

    private final int[] sentenceEnds;

    public TokenWindows(WordPiece tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        sentenceEnds = Arrays.stream(new String[] {".", "?", "!"}).mapToInt(tokenizer::id).filter(i -> i >= 0).sorted().toArray();
    }

    /** The end offsets (exclusive, ascending, the last is {@code n}) of the windows of {@code ids[0..n)}. */
    public int[] ends(int[] ids, int n, BitSet lineEnds) {
        if (n <= MAX) {
            return new int[] {n};
        }
        long[] rank = new long[n];
        for (int i = 0; i < n; i++) {
            boolean sentence = Arrays.binarySearch(sentenceEnds, ids[i]) >= 0 || (lineEnds != null && lineEnds.get(i));
            rank[i] = (mix(i == 0 ? 0 : ids[i - 1], ids[i]) & 0xFFFFFFFFL) | (sentence ? 1L << 32 : 0);
        }
        int[] ends = new int[n / MIN + 2];
        int count = 0;
        int start = 0;
        for (int i = 0; i < n; i++) {
            int len = i + 1 - start;
            if ((len >= MIN && localMax(rank, i)) || len >= MAX) {
                ends[count++] = i + 1;
                start = i + 1;
            }
        }
        if (start < n) {
            if (n - start < MIN && count > 0) {
                ends[count - 1] = n;
            } else {
                ends[count++] = n;
            }
        }
        return Arrays.copyOf(ends, count);
    }

    private static boolean localMax(long[] rank, int i) {
        for (int j = Math.max(0, i - RADIUS), to = Math.min(rank.length - 1, i + RADIUS); j <= to; j++) {
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
