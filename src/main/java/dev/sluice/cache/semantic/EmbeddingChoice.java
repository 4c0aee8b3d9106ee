package dev.sluice.cache.semantic;

/**
 * Which embeddings a matcher uses, with the thresholds chosen for each on the labelled set
 * (docs/bench/semantic.md): each is the highest similarity of a different-answer pair that got
 * past the guard, plus a 0.02 margin. Similarities are not comparable across choices.
 */
public enum EmbeddingChoice {
    /** Default: static MiniLM vectors find candidates (microseconds), the transformer verifies them. */
    HYBRID(0.85, 0.92, 0.90),
    /**
     * Static vectors only: always fast, but a one-word change of topic ("locale" against "timezone")
     * barely moves a mean of token vectors, so its safe threshold lets only near-identical wordings hit.
     */
    STATIC(0.0, 0.999, 0.99),
    /** The transformer for every lookup: the hybrid's quality, 10–90 ms per lookup on two cores. */
    TRANSFORMER(0.0, 0.92, 0.90);

    private final double retrievalFloor;
    private final double threshold;
    private final double thresholdFloor;

    EmbeddingChoice(double retrievalFloor, double threshold, double thresholdFloor) {
        this.retrievalFloor = retrievalFloor;
        this.threshold = threshold;
        this.thresholdFloor = thresholdFloor;
    }

    /** The default settings for this choice (mode on). */
    public SemanticSettings defaults() {
        SemanticSettings d = SemanticSettings.defaults();
        return new SemanticSettings(d.mode(), retrievalFloor == 0 ? threshold : retrievalFloor, threshold, thresholdFloor,
                d.errorBound(), d.candidates(), d.entryTtl(), d.hnswAbove(), d.maxEntriesPerIndex(), d.maxIndexBytes());
    }
}
