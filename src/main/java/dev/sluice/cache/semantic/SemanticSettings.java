package dev.sluice.cache.semantic;

import java.time.Duration;
import java.util.Objects;

/**
 * The matcher's settings. Thresholds are for the verifying model actually shipped (similarities
 * are not comparable across models); the defaults come from the labelled evaluation
 * (docs/bench/semantic.md).
 *
 * @param mode            off, shadow (record would-be hits) or on
 * @param retrievalFloor  minimum static similarity for a candidate to be verified at all
 * @param threshold       base similarity a match must reach (on the verifier's scale)
 * @param thresholdFloor  learned thresholds never go below this
 * @param errorBound      δ: the wrong-answer rate a learned threshold may risk (upper 95% bound)
 * @param candidates      how many nearest entries are checked per lookup
 * @param entryTtl        entries older than this are not matched
 * @param hnswAbove       an index switches from brute force to HNSW above this many entries
 * @param maxEntriesPerIndex  entries per (scope, anchor); the oldest make room
 * @param maxIndexBytes   heap budget for all indexes together ({@link #defaultIndexBytes})
 */
public record SemanticSettings(SemanticMode mode, double retrievalFloor, double threshold, double thresholdFloor,
                               double errorBound, int candidates, Duration entryTtl, int hnswAbove,
                               int maxEntriesPerIndex, long maxIndexBytes) {
    /** Chosen on the labelled set: zero different-answer pairs served, 57% of same-answer pairs hit. */
    public static final double DEFAULT_THRESHOLD = 0.92;
    public static final double DEFAULT_RETRIEVAL_FLOOR = 0.85;

    public SemanticSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(entryTtl, "entryTtl");
        check(retrievalFloor >= 0 && retrievalFloor <= 1, "retrievalFloor", retrievalFloor, "0..1");
        check(threshold > 0 && threshold <= 1, "threshold", threshold, "0 < t <= 1");
        check(thresholdFloor > 0 && thresholdFloor <= threshold, "thresholdFloor", thresholdFloor, "0 < floor <= threshold");
        check(errorBound > 0 && errorBound < 0.5, "errorBound", errorBound, "0 < δ < 0.5");
        check(candidates >= 1 && candidates <= 64, "candidates", candidates, "1..64");
        check(hnswAbove >= 16, "hnswAbove", hnswAbove, ">= 16");
        check(maxEntriesPerIndex >= 1, "maxEntriesPerIndex", maxEntriesPerIndex, ">= 1");
        check(maxIndexBytes >= 1 << 20, "maxIndexBytes", maxIndexBytes, ">= 1 MiB");
    }

    public static SemanticSettings defaults() {
        return new SemanticSettings(SemanticMode.ON, DEFAULT_RETRIEVAL_FLOOR, DEFAULT_THRESHOLD, 0.90, 0.01, 4,
                Duration.ofDays(7), 8_192, 50_000, defaultIndexBytes(Runtime.getRuntime().maxMemory()));
    }

    /**
     * An eighth of the heap, at most 256 MiB and at least 1 MiB. Every new conversation adds an index, so the budget is
     * always reached in time; a fixed 256 MiB was more than the 384 MB heap the semantic cache is run with can give
     * beside its model (~85 MB), the response cache and the window cache. At 384 MB an eighth holds ~10,000
     * one-question conversations (~4.5 KB each).
     */
    static long defaultIndexBytes(long maxHeap) {
        return Math.clamp(maxHeap / 8, 1L << 20, 256L << 20);
    }

    /** An entry costs about 4 KB with the hybrid choice (two 384-float vectors, graph links, bookkeeping). */
    public static final int APPROX_ENTRY_BYTES = 4_096;

    public SemanticSettings withSize(int entriesPerIndex, long indexBytes) {
        return new SemanticSettings(mode, retrievalFloor, threshold, thresholdFloor, errorBound, candidates, entryTtl,
                hnswAbove, entriesPerIndex, indexBytes);
    }

    public SemanticSettings withMode(SemanticMode m) {
        return new SemanticSettings(m, retrievalFloor, threshold, thresholdFloor, errorBound, candidates, entryTtl,
                hnswAbove, maxEntriesPerIndex, maxIndexBytes);
    }

    private static void check(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("semantic." + name + ": " + value + " (expected: " + expected + ")");
        }
    }
}
