package dev.sluice.cache.semantic.embed;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * Each window's own unit vector comes back too: the matcher's window rule needs them (a mean over
 * many windows dilutes one changed window).
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

    private CompletionStage<Optional<WindowedVector>> verify(String partition, String text, boolean here) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(text, "text");
        int[] ids = new int[maxTokens() + 1];
        BitSet lines = new BitSet();
        int n = transformer.tokenizer().encode(text, ids, maxTokens(), lines);
        if (n <= 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        int[] ends = cutter.ends(ids, n, lines);
        int k = ends.length;
        long[] hashes = new long[2 * k];
        float[][] sums = new float[k][];
        int missing = 0;
        MessageDigest sha = sha256();
        for (int w = 0, start = 0; w < k; start = ends[w], w++) {
            hash(sha, ids, start, ends[w], hashes, w);
            sums[w] = cache.get(new WindowCache.Key(partition, hashes[2 * w], hashes[2 * w + 1]));
            if (sums[w] == null) {
                missing++;
            }
        }
        if (missing == 0) {
            return CompletableFuture.completedFuture(Optional.of(compose(hashes, sums)));
        }
        int[][] rows = new int[missing][];
        int[] which = new int[missing];
        for (int w = 0, start = 0, r = 0; w < k; start = ends[w], w++) {
            if (sums[w] == null) {
                int[] row = new int[ends[w] - start + 2];
                row[0] = WordPiece.CLS;
                System.arraycopy(ids, start, row, 1, ends[w] - start);
                row[row.length - 1] = WordPiece.SEP;
                rows[r] = row;
                which[r++] = w;
            }
        }
        return (here ? transformer.sumsHere(rows) : transformer.sums(rows)).thenApply(computed -> {
            for (int r = 0; r < computed.length; r++) {
                int w = which[r];
                sums[w] = computed[r];
                cache.put(new WindowCache.Key(partition, hashes[2 * w], hashes[2 * w + 1]), computed[r]);
            }
            return Optional.of(compose(hashes, sums));
        });
    }

    private static WindowedVector compose(long[] hashes, float[][] sums) {
        float[][] units = new float[sums.length][];
        if (sums.length == 1) {
            units[0] = Vectors.normalize(sums[0].clone());
            return new WindowedVector(units[0], hashes, units);
        }
        float[] total = new float[sums[0].length];
        for (int w = 0; w < sums.length; w++) {
            for (int d = 0; d < total.length; d++) {
                total[d] += sums[w][d];
            }
            units[w] = Vectors.normalize(sums[w].clone());
        }
        return new WindowedVector(Vectors.normalize(total), hashes, units);
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
