package dev.sluice.cache.semantic.learn;

import java.util.Objects;

/**
 * One labelled similarity: a question matched a stored one at {@code similarity} (after the anchor and the
 * code-identity guard), and the stored answer was right or wrong for it. From a shadow verdict, a feedback or
 * refresh signal, or a labelled pair.
 *
 * @param model the model the request asked for ("" when unknown)
 */
public record Observation(String model, double similarity, boolean correct) {
    public Observation {
        Objects.requireNonNull(model, "model");
        if (!(similarity >= -1.0 && similarity <= 1.0001)) {
            throw new IllegalArgumentException("similarity: " + similarity + " (expected: -1..1)");
        }
    }

    public static Observation of(ShadowLog.Verdict v) {
        return new Observation(v.model(), v.similarity(), v.correct());
    }
}
