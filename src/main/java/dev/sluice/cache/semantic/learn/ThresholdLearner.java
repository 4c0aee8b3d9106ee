package dev.sluice.cache.semantic.learn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;

/**
 * Per-entry similarity thresholds learned online from verdicts on would-be and real hits (the
 * idea of vCache, arXiv 2502.03771: one static threshold cannot separate right from wrong hits, so
 * each cached entry gets its own decision boundary, learned under a user-set error bound δ).
 *
 * <p>Rules, for one entry, from its observations (similarity, answer was right or wrong):
 * <ol>
 *   <li>A wrong answer at similarity s means nothing at or below s is safe: the entry's threshold
 *       is raised above the highest wrong similarity seen, whatever the base says.</li>
 *   <li>The threshold may go below the base (down to {@code floor}, never further) only at a
 *       similarity t where every observation at or above t was right and there are enough of them
 *       that the 95% upper confidence bound on the error rate, {@code 1 - 0.05^(1/n)}, is at most δ
 *       (about 3/δ observations: 300 for δ = 1%). Evidence, not hope, lowers a threshold.</li>
 *   <li>Otherwise the base threshold holds.</li>
 * </ol>
 * Tracked entries are bounded (least recently observed forgotten first); each keeps its most recent
 * {@value EntryStats#MAX_OBSERVATIONS} observations.
 */
public final class ThresholdLearner {
    private final double base;
    private final double floor;
    private final double errorBound;
    private final Cache<String, EntryStats> stats;

    public ThresholdLearner(double base, double floor, double errorBound, long maxTrackedEntries) {
        if (!(floor <= base && base <= 1.0 && floor > 0)) {
            throw new IllegalArgumentException("floor " + floor + ", base " + base + " (expected: 0 < floor <= base <= 1)");
        }
        if (!(errorBound > 0 && errorBound < 0.5)) {
            throw new IllegalArgumentException("errorBound: " + errorBound + " (expected: 0 < δ < 0.5)");
        }
        this.base = base;
        this.floor = floor;
        this.errorBound = errorBound;
        // Maintenance on the caller (a lookup thread) rather than the common pool: a lookup should not wake
        // another thread to compete with it and the event loops for the two cores.
        this.stats = Caffeine.newBuilder().maximumSize(maxTrackedEntries).executor(Runnable::run).build();
    }

    public double base() {
        return base;
    }

    /** The threshold a hit on {@code entryId} must reach now. */
    public double threshold(String entryId) {
        return threshold(entryId, base);
    }

    /**
     * The threshold a hit on {@code entryId} must reach for a request whose route sets {@code routeBase} (NaN: this
     * learner's base); a route's base below the floor is held at the floor.
     */
    public double threshold(String entryId, double routeBase) {
        double b = Double.isNaN(routeBase) ? base : Math.min(1.0, Math.max(floor, routeBase));
        EntryStats s = stats.getIfPresent(Objects.requireNonNull(entryId, "entryId"));
        return s == null ? b : s.threshold(b);
    }

    /** Records a verdict: the answer stored under {@code entryId} was (not) right for a question at {@code similarity}. */
    public void observe(String entryId, double similarity, boolean correct) {
        Objects.requireNonNull(entryId, "entryId");
        if (!(similarity >= -1.0 && similarity <= 1.0001)) {
            throw new IllegalArgumentException("similarity: " + similarity + " (expected: -1..1)");
        }
        stats.get(entryId, id -> new EntryStats(floor, errorBound)).add(similarity, correct);
    }

    public long trackedEntries() {
        return stats.estimatedSize();
    }
}
