package dev.sluice.cache.semantic.embed;

import java.util.BitSet;
import java.util.Objects;

/**
 * A text's WordPiece ids (no [CLS]/[SEP]) and the tokens a line break follows, tokenised once so that the static
 * retrieval embedding and the windowed verifier's cut of the same newest turn share the work (both use the
 * model's tokenizer; a verified lookup used to tokenise its 200 words twice).
 *
 * @param ids the ids; only the first {@code count} are the text's
 * @param count the number of tokens
 * @param lineEnds bit {@code i} set when a line break follows token {@code i}
 */
public record Tokens(int[] ids, int count, BitSet lineEnds) {
    public Tokens {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(lineEnds, "lineEnds");
        if (count < 0 || count > ids.length) {
            throw new IllegalArgumentException("count: " + count + " (expected: 0.." + ids.length + ")");
        }
    }

    /**
     * The tokens of {@code text}, or null when it has more than {@code maxTokens}: callers treat an over-long text as
     * not comparable, as {@link WordPiece#encode} does. Equal, token for token, to what either embedder makes alone
     * of a text within its own cap (WordPiece's output does not depend on the cap until the cap is passed).
     */
    public static Tokens of(WordPiece tokenizer, String text, int maxTokens) {
        Objects.requireNonNull(text, "text");
        int[] ids = new int[maxTokens];
        BitSet lines = new BitSet();
        int n = tokenizer.encode(text, ids, maxTokens, lines);
        return n < 0 ? null : new Tokens(ids, n, lines);
    }

    /** This thread's buffers for {@link #scratch}: a lookup thread tokenises one newest turn after another. */
    private static final ThreadLocal<Tokens> SCRATCH = ThreadLocal.withInitial(() -> new Tokens(new int[0], 0, new BitSet()));

    /**
     * As {@link #of}, into this thread's reusable buffers instead of a new 2 KB id array and bit set per lookup
     * (h-sem15: garbage is what sets a miss's tail). The result is valid only until this thread's next call: use it
     * at once, on this thread, and take {@link #owned()} for anything that outlives that (a verification).
     */
    public static Tokens scratch(WordPiece tokenizer, String text, int maxTokens) {
        Objects.requireNonNull(text, "text");
        Tokens buffers = SCRATCH.get();
        if (buffers.ids.length != maxTokens) {
            buffers = new Tokens(new int[maxTokens], 0, new BitSet());
            SCRATCH.set(buffers);
        }
        buffers.lineEnds.clear();
        int n = tokenizer.encode(text, buffers.ids, maxTokens, buffers.lineEnds);
        return n < 0 ? null : new Tokens(buffers.ids, n, buffers.lineEnds);
    }

    /** A copy that owns its arrays, equal to what {@link #of} returns for the same text: ids past the count are zero. */
    public Tokens owned() {
        int[] copy = new int[ids.length];
        System.arraycopy(ids, 0, copy, 0, count);
        return new Tokens(copy, count, (BitSet) lineEnds.clone());
    }
}
