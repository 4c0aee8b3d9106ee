package dev.sluice.cache.semantic.embed;

import java.util.Locale;
import java.util.Set;

/**
 * How much each token counts in a static sentence vector. BERT's uncased vocabulary lists whole
 * words roughly from most to least frequent from id 1996 on, so the id is a usable frequency rank:
 * frequent words ("the", "to", "is") carry little meaning and get small weights (the SIF / Zipf
 * weighting of Arora et al. and Model2Vec), rare ones (domain words) large weights.
 */
public record TokenWeights(String name, float[] table) {
    private static final int FIRST_WORD = 1996;

    public float weight(int id) {
        return id < table.length ? table[id] : 0f;
    }

    /** Every token counts the same (punctuation included): the plain mean. */
    public static TokenWeights uniform(WordPiece vocab) {
        float[] w = new float[vocab.vocabSize()];
        java.util.Arrays.fill(w, 1f);
        return new TokenWeights("uniform", w);
    }

    /**
     * Zipf-rank weights {@code log(1 + rank / scale)}, punctuation and a few fillers (politeness, articles) at
     * zero: a polite rewording or a "the" must not move the vector.
     */
    public static TokenWeights zipf(WordPiece vocab, float scale, Set<String> fillers) {
        float[] w = new float[vocab.vocabSize()];
        for (int id = 0; id < w.length; id++) {
            String piece = vocab.piece(id);
            if (piece == null || id < 999 || isPunctuation(piece) || fillers.contains(piece.toLowerCase(Locale.ROOT))) {
                continue;
            }
            int rank = Math.max(1, id - FIRST_WORD + 1);
            w[id] = (float) Math.log1p(rank / scale);
        }
        return new TokenWeights("zipf" + (int) scale, w);
    }

    private static boolean isPunctuation(String piece) {
        return piece.length() == 1 && WordPiece.isPunctuation(piece.charAt(0));
    }
}
