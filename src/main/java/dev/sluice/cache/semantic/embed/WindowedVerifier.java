package dev.sluice.cache.semantic.embed;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The transformer's verification vector, composed of window embeddings so a near-duplicate of a
 * long text re-embeds only the windows it changed.
 * <ol>
 *   <li>Tokenize (at most {@code maxTokens}, as the plain transformer) and cut into
 *       {@link TokenWindows} (one window for a text of up to 64 tokens).</li>
 *   <li>Per window: a 128-bit SHA-256 of its ids; its pooled sum (the last hidden state summed over
 *       [CLS] window [SEP]) from the {@link WindowCache} under (partition, hash), else embedded.</li>
 *   <li>All uncached windows of the text go to the transformer as one job (one ONNX run, padded to
 *       the longest window, not to the text), then into the cache.</li>
 *   <li>The text's vector is the sum of the windows' pooled sums, normalised: the token-count
 *       weighted mean of the window means. For one window this is exactly
 *       {@link TransformerEmbedder#embed}'s mean-pooled vector.</li>
 * </ol>
 * Each window's own unit vector, the norm of its pooled sum and its token count come back too: the
 * matcher's window rule needs them (a mean over many windows dilutes one changed window). A lookup may
 * also ask for some neighbouring windows to be embedded together as one row ({@link #verify(String, Cut,
 * int[], boolean)}): the matcher joins a short inserted window with the unchanged one before it, so the
 * insertion is embedded in context (embedded alone, "Thanks a lot." is nothing like anything stored).
 */
public final class WindowedVerifier implements Embedder {
    public static final String ID = TransformerEmbedder.ID + "-windowed";

    private final TransformerEmbedder transformer;
    private final TokenWindows cutter;
    private final WindowCache cache;

    public WindowedVerifier(TransformerEmbedder transformer, WindowCache cache) {
        this(transformer, cache, new TokenWindows(transformer.tokenizer()));
    }

    /** With other window bounds (benchmarks compare them; the cache must not be shared with another cutter's verifier). */
    public WindowedVerifier(TransformerEmbedder transformer, WindowCache cache, TokenWindows cutter) {
        this.transformer = Objects.requireNonNull(transformer, "transformer");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.cutter = Objects.requireNonNull(cutter, "cutter");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimensions() {
        return transformer.dimensions();
    }

    @Override
    public int maxTokens() {
        return transformer.maxTokens();
    }

    public WindowCache cache() {
        return cache;
    }

    /** As {@link #verify(String, String)} in the unnamed partition. */
    @Override
    public CompletionStage<Optional<float[]>> embed(String text) {
        return verify("", text).thenApply(v -> v.map(WindowedVector::vector));
    }

    /** The text's windowed vector, window vectors cached and looked up under {@code partition} (the tenant scope). */
    public CompletionStage<Optional<WindowedVector>> verify(String partition, String text) {
        return verify(partition, text, false);
    }

    /**
     * As {@link #verify(String, String)}, but the uncached windows run on the calling thread when the model is
     * idle ({@link TransformerEmbedder#sumsHere}): only for threads that may block for an inference, such as the
     * matcher's lookup executor.
     */
    public CompletionStage<Optional<WindowedVector>> verifyHere(String partition, String text) {
        return verify(partition, text, true);
    }

    /**
     * The text's windows without any inference: its ids, window ends and window hashes; null when the text
     * has no token or is over the cap (it cannot be compared).
     */
    public Cut cut(String text) {
        Objects.requireNonNull(text, "text");
        int[] ids = new int[maxTokens() + 1];
        BitSet lines = new BitSet();
        int n = transformer.tokenizer().encode(text, ids, maxTokens(), lines);
        return n <= 0 ? null : cut(ids, n, lines);
    }

    /**
     * As {@link #cut(String)}, from a text already tokenised by {@link #tokenizer()} (with a cap of at least
     * {@link #maxTokens()}): the same windows and hashes, without tokenising again. Null as there.
     */
    public Cut cut(Tokens tokens) {
        int n = tokens.count();
        return n <= 0 || n > maxTokens() ? null : cut(tokens.ids(), n, tokens.lineEnds());
    }

    /** The tokenizer {@link #cut(Tokens)}'s ids must come from. */
    public WordPiece tokenizer() {
        return transformer.tokenizer();
    }

    private Cut cut(int[] ids, int n, BitSet lines) {
        int[] ends = cutter.ends(ids, n, lines);
        long[] hashes = new long[2 * ends.length];
        MessageDigest sha = sha256();
        for (int w = 0, start = 0; w < ends.length; start = ends[w], w++) {
            hash(sha, ids, start, ends[w], hashes, w);
        }
        return new Cut(ids, ends, hashes);
    }

    private CompletionStage<Optional<WindowedVector>> verify(String partition, String text, boolean here) {
        Objects.requireNonNull(partition, "partition");
        Cut cut = cut(text);
        return cut == null ? CompletableFuture.completedFuture(Optional.empty()) : verify(partition, cut, cut.ends(), here);
    }

    /**
     * The vector of a {@link #cut} text embedded as the rows {@code rows} (ascending token offsets, the last the
     * text's end): a row is one window, several neighbouring windows embedded together in one transformer run (the
     * matcher joins a short inserted window with the one before it), or a span that ends where a stored window
     * ended (the matcher re-anchors on those). The result's windows are the rows. {@code here} as {@link #verifyHere}.
     */
    public CompletionStage<Optional<WindowedVector>> verify(String partition, Cut cut, int[] rows, boolean here) {
        Objects.requireNonNull(partition, "partition");
        int k = rows.length;
        long[] hashes = cut.rowHashes(rows);
        float[][] sums = new float[k][];
        int missing = 0;
        for (int w = 0; w < k; w++) {
            sums[w] = cache.get(new WindowCache.Key(partition, hashes[2 * w], hashes[2 * w + 1]));
            if (sums[w] == null) {
                missing++;
            }
        }
        if (missing == 0) {
            return CompletableFuture.completedFuture(Optional.of(compose(hashes, sums, rows)));
        }
        int[][] batch = new int[missing][];
        int[] which = new int[missing];
        for (int w = 0, start = 0, r = 0; w < k; start = rows[w], w++) {
            if (sums[w] == null) {
                int[] row = new int[rows[w] - start + 2];
                row[0] = WordPiece.CLS;
                System.arraycopy(cut.ids(), start, row, 1, rows[w] - start);
                row[row.length - 1] = WordPiece.SEP;
                batch[r] = row;
                which[r++] = w;
            }
        }
        return (here ? transformer.sumsHere(batch) : transformer.sums(batch)).thenApply(computed -> {
            for (int r = 0; r < computed.length; r++) {
                int w = which[r];
                sums[w] = computed[r];
                cache.put(new WindowCache.Key(partition, hashes[2 * w], hashes[2 * w + 1]), computed[r]);
            }
            return Optional.of(compose(hashes, sums, rows));
        });
    }

    /**
     * A text's token ids and its windows ({@code ends}: exclusive end offsets, the last is the token count;
     * {@code hashes}: two longs per window, 128 bits of SHA-256 over its ids).
     */
    public record Cut(int[] ids, int[] ends, long[] hashes) {
        public int count() {
            return ends.length;
        }

        /**
         * The hashes of {@code rows} (ascending token offsets, the last the text's end): a row that is one window
         * keeps that window's hash; any other row (several windows joined, or a span cut where a stored window
         * ended, see {@code WindowPlan}) is hashed over its ids, exactly as a window with those ids would be.
         */
        public long[] rowHashes(int[] rows) {
            if (Arrays.equals(rows, ends)) {
                return hashes;
            }
            int n = ends[ends.length - 1];
            if (rows.length == 0 || rows[rows.length - 1] != n) {
                throw new IllegalArgumentException("rows: " + Arrays.toString(rows) + " (expected: ending at " + n + ")");
            }
            long[] out = new long[2 * rows.length];
            MessageDigest sha = null;
            for (int r = 0, start = 0; r < rows.length; start = rows[r], r++) {
                if (rows[r] <= start) {
                    throw new IllegalArgumentException("rows: " + Arrays.toString(rows) + " (expected: ascending)");
                }
                int w = window(start, rows[r]);
                if (w >= 0) {
                    out[2 * r] = hashes[2 * w];
                    out[2 * r + 1] = hashes[2 * w + 1];
                } else {
                    sha = sha == null ? sha256() : sha;
                    hash(sha, ids, start, rows[r], out, r);
                }
            }
            return out;
        }

        /** True when ids {@code from..to} hash to ({@code hi}, {@code lo}): the span holds a window with those ids. */
        public boolean spanHashes(int from, int to, long hi, long lo) {
            long[] h = new long[2];
            hash(sha256(), ids, from, to, h, 0);
            return h[0] == hi && h[1] == lo;
        }

        /** The window that spans exactly {@code from..to}, or -1. */
        private int window(int from, int to) {
            int w = Arrays.binarySearch(ends, to);
            return w >= 0 && (w == 0 ? 0 : ends[w - 1]) == from ? w : -1;
        }
    }

    private static WindowedVector compose(long[] hashes, float[][] sums, int[] ends) {
        int k = sums.length;
        float[][] units = new float[k][];
        float[] norms = new float[k];
        int[] lengths = new int[k];
        float[] total = k == 1 ? null : new float[sums[0].length];
        for (int w = 0; w < k; w++) {
            lengths[w] = ends[w] - (w == 0 ? 0 : ends[w - 1]);
            norms[w] = (float) Math.sqrt(Vectors.dot(sums[w], sums[w]));
            units[w] = Vectors.normalize(sums[w].clone());
            if (total != null) {
                for (int d = 0; d < total.length; d++) {
                    total[d] += sums[w][d];
                }
            }
        }
        return new WindowedVector(k == 1 ? units[0] : Vectors.normalize(total), hashes, units, norms, lengths);
    }

    private static void hash(MessageDigest sha, int[] ids, int from, int to, long[] out, int w) {
        ByteBuffer b = ByteBuffer.allocate(4 * (to - from));
        for (int i = from; i < to; i++) {
            b.putInt(ids[i]);
        }
        ByteBuffer d = ByteBuffer.wrap(sha.digest(b.array()));
        out[2 * w] = d.getLong();
        out[2 * w + 1] = d.getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The transformer's worker and the model belong to whoever opened them. */
    @Override
    public void close() {
    }
}
