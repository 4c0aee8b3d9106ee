package dev.sluice.cache.learn.tuning;

import dev.sluice.cache.learn.capture.Shape;
import dev.sluice.cache.semantic.learn.Observation;
import dev.sluice.cache.semantic.learn.ThresholdProposal;
import dev.sluice.cache.semantic.learn.ThresholdProposer;
import dev.sluice.config.CacheConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The threshold proposal for a gateway: {@link ThresholdProposer} on the verdicts it collected, each proposal
 * with what the captured traffic says it changes (the miss analysis' {@code semantic-below-threshold} misses a
 * lower threshold would have looked up as candidates, and the semantic hits a higher one would have missed, with
 * their dollars), and the thresholds to apply.
 */
public final class ThresholdTuning {
    /**
     * One proposal and the captured requests it would have decided otherwise.
     *
     * @param missesInReach  misses whose nearest entry's similarity lies in [proposed, current): hits, if right
     * @param missesNanoUsd  what those misses cost upstream
     * @param hitsLost       semantic hits whose similarity lies in [current, proposed): misses after a raise
     * @param hitsNanoUsd    what those hits saved
     */
    public record Row(ThresholdProposal proposal, long missesInReach, long missesNanoUsd, long hitsLost, long hitsNanoUsd) {
    }

    /**
     * @param rows       one per glob, configured ones first
     * @param thresholds {@code cache.semantic.thresholds} with every proposal applied (configured globs in their
     *                   order, then exact model names no configured glob fits, so none shadows another)
     * @param verdicts   how many verdicts the proposal rests on (those without a model are not counted)
     */
    public record Tuning(List<Row> rows, Map<String, Double> thresholds, int verdicts, double errorBound, double floor) {
        /** True when at least one proposal changes a threshold. */
        public boolean changes() {
            return rows.stream().anyMatch(r -> r.proposal().change() != ThresholdProposal.Change.KEEP);
        }
    }

    private ThresholdTuning() {
    }

    /**
     * @param section      the live {@code cache.semantic} section (thresholds, floor, error bound)
     * @param observations the verdicts collected
     * @param shapes       captured requests (empty when the capture is off)
     * @param cost         what a captured request cost or saved, in nano-dollars
     */
    public static Tuning propose(CacheConfig.Semantic section, List<Observation> observations, List<Shape> shapes,
                                 ToLongFunction<Shape> cost) {
        ThresholdProposer proposer = new ThresholdProposer(section.thresholdFloor(), section.errorBound());
        List<ThresholdProposal> proposals = proposer.proposeAll(section.thresholds(), section.threshold(), observations);
        List<Row> rows = new ArrayList<>();
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (ThresholdProposal p : proposals) {
            long[] misses = new long[2];
            long[] hits = new long[2];
            double lo = Math.min(p.current(), p.proposed());
            double hi = Math.max(p.current(), p.proposed());
            for (Shape s : shapes) {
                if (Double.isNaN(s.similarity()) || s.model() == null || s.similarity() < lo || s.similarity() >= hi
                        || !p.glob().equals(ThresholdProposer.globFor(section.thresholds(), s.model()))) {
                    continue;
                }
                long[] into = s.missed() && p.proposed() < p.current() ? misses
                        : s.outcome().equals("semantic") && p.proposed() > p.current() ? hits : null;
                if (into != null) {
                    into[0]++;
                    into[1] += cost.applyAsLong(s);
                }
            }
            rows.add(new Row(p, misses[0], misses[1], hits[0], hits[1]));
            boolean configured = section.thresholds().containsKey(p.glob());
            if (configured || p.change() != ThresholdProposal.Change.KEEP) {
                thresholds.put(p.glob(), p.proposed());
            }
        }
        int verdicts = (int) observations.stream().filter(o -> !o.model().isEmpty()).count();
        return new Tuning(List.copyOf(rows), thresholds, verdicts, section.errorBound(), section.thresholdFloor());
    }

}
