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
}
