package dev.sluice.cache.semantic.embed;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A sentence vector as the weighted mean of its tokens' rows in a {@link StaticTable}. Costs a
 * few microseconds for a 200-word turn (one table row per token), so it runs on the caller's
 * thread: handing it to a pool would cost more than computing it.
 */
public final class StaticEmbedder implements Embedder {
    public static final String ID_PREFIX = "minilm-static-v1";
    /** 512 pieces covers a ~350-word turn; longer newest texts are not compared by meaning. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    private final WordPiece tokenizer;
    private final StaticTable table;
    private final TokenWeights weights;
    private final int maxTokens;
    private final String id;

    public StaticEmbedder(WordPiece tokenizer, StaticTable table, TokenWeights weights, int maxTokens) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.table = Objects.requireNonNull(table, "table");
        this.weights = Objects.requireNonNull(weights, "weights");
        if (table.vocab() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("table vocab " + table.vocab() + " != tokenizer vocab " + tokenizer.vocabSize());
        }
        if (maxTokens < 1 || maxTokens > 8192) {
            throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: 1..8192)");
        }
        this.maxTokens = maxTokens;
        this.id = ID_PREFIX + "-" + weights.name();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimensions() {
        return table.dimensions();
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public CompletionStage<Optional<float[]>> embed(String text) {
        return CompletableFuture.completedFuture(embedNow(text));
    }

    /** The same, synchronously: empty when the text is over the cap or has no token with a weight. */
    public Optional<float[]> embedNow(String text) {
        Objects.requireNonNull(text, "text");
        int[] ids = new int[maxTokens];
        int n = tokenizer.encode(text, ids, maxTokens);
        return n < 0 ? Optional.empty() : embed(ids, n);
    }

    /** As {@link #embedNow(String)}, from a text already tokenised by {@link #tokenizer()} (empty when over the cap). */
    public Optional<float[]> embed(Tokens tokens) {
        return tokens.count() > maxTokens ? Optional.empty() : embed(tokens.ids(), tokens.count());
    }

    /**
     * As {@link #embed(Tokens)}, into {@code out} (overwritten; {@link #dimensions()} long) instead of a new vector: a
     * lookup's query vector lives only as long as its search. False, {@code out} unspecified, where that is empty.
     */
    public boolean embedInto(Tokens tokens, float[] out) {
        return tokens.count() <= maxTokens && embedInto(tokens.ids(), tokens.count(), out);
    }

    /** The tokenizer the ids passed to {@link #embed(Tokens)} must come from. */
    public WordPiece tokenizer() {
        return tokenizer;
    }

    private Optional<float[]> embed(int[] ids, int n) {
        float[] acc = new float[table.dimensions()];
        return embedInto(ids, n, acc) ? Optional.of(acc) : Optional.empty();
    }

    private boolean embedInto(int[] ids, int n, float[] acc) {
        if (acc.length != table.dimensions()) {
            throw new IllegalArgumentException("out: " + acc.length + " floats (expected: " + table.dimensions() + ")");
        }
        java.util.Arrays.fill(acc, 0f);
        float total = 0;
        for (int i = 0; i < n; i++) {
            float w = weights.weight(ids[i]);
            if (w > 0) {
                table.accumulate(ids[i], w, acc);
                total += w;
            }
        }
        if (total == 0) {
            return false;
        }
        Vectors.normalize(acc);
        return true;
    }
}
