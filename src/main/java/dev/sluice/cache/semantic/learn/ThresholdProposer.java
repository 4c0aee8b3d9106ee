package dev.sluice.cache.semantic.learn;

import dev.sluice.cache.semantic.learn.ThresholdProposal.Change;
import dev.sluice.cache.semantic.learn.ThresholdProposal.Evidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import dev.sluice.wire.Glob;
import java.util.regex.Pattern;

/**
 * Proposes a base threshold per model glob from labelled similarities (shadow verdicts, feedback, labelled pairs):
 * the lowest threshold, so the most hits, that keeps the wrong-answer rate under the configured bound δ.
 *
 * <p>The rules are those the per-entry learner applies to one entry ({@link ThresholdLearner}), applied to every
 * entry of the models a glob fits:
 * <ol>
 *   <li>No observed wrong answer is ever served: the proposal stays above the highest wrong similarity seen
 *       (plus a margin for float noise between runs). If that is above the current threshold, the proposal raises
 *       it, whatever else the evidence says: the safe direction needs no support.</li>
 *   <li>Lowering needs evidence: at the proposed t, the right answers at or above t (none of them wrong) must be
 *       enough that the 95% upper bound on the error rate, {@code 1 - 0.05^(1/n)}, is at most δ: about 3/δ answers
 *       (299 for δ = 1%). Never below the configured floor.</li>
 *   <li>Otherwise the current threshold stays, and the proposal says how much more evidence lowering needs.</li>
 * </ol>
 * A proposal is advice with its evidence; applying it is a configuration version on trial ({@code SemanticRollback}).
 */
public final class ThresholdProposer {
    /** Just above a wrong similarity: floats from two runs of the same model differ in the last digits. */
    static final double WRONG_MARGIN = 0.005;

    private final double floor;
    private final double errorBound;

    public ThresholdProposer(double floor, double errorBound) {
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("floor: " + floor + " (expected: 0 < floor <= 1)");
        }
        if (!(errorBound > 0 && errorBound < 0.5)) {
            throw new IllegalArgumentException("errorBound: " + errorBound + " (expected: 0 < δ < 0.5)");
        }
        this.floor = floor;
        this.errorBound = errorBound;
    }

    /** Right answers with no wrong one among them that make the 95% upper bound on the error rate at most δ. */
    public int neededForBound() {
        int n = (int) Math.ceil(Math.log(0.05) / Math.log(1 - errorBound));
        while (EntryStats.upperErrorBound(n) > errorBound) {
            n++; // the closed form can land one short in floating point
        }
        return n;
    }

    /**
     * One proposal per configured glob (in order; first glob that fits a model decides, as the gateway reads them),
     * then one per model no glob fits that has observations (its current threshold is {@code base}). Observations
     * without a model are left out: they cannot be filed under a glob.
     */
    public List<ThresholdProposal> proposeAll(Map<String, Double> globs, double base, List<Observation> observations) {
        Map<String, Pattern> compiled = new LinkedHashMap<>();
        Map<String, List<Observation>> byGroup = new LinkedHashMap<>();
        for (String g : globs.keySet()) {
            compiled.put(g, glob(g));
            byGroup.put(g, new ArrayList<>());
        }
        Map<String, List<Observation>> unmatched = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.model().isEmpty()) {
                continue;
            }
            String group = null;
            for (var e : compiled.entrySet()) {
                if (e.getValue().matcher(o.model()).matches()) {
                    group = e.getKey();
                    break;
                }
            }
            (group == null ? unmatched.computeIfAbsent(o.model(), m -> new ArrayList<>()) : byGroup.get(group)).add(o);
        }
        List<ThresholdProposal> out = new ArrayList<>();
        byGroup.forEach((g, obs) -> out.add(propose(g, globs.get(g), obs)));
        unmatched.forEach((model, obs) -> out.add(propose(model, base, obs)));
        return out;
    }

    /** The proposal for one glob whose models have threshold {@code current} now. */
    public ThresholdProposal propose(String glob, double current, List<Observation> observations) {
        Objects.requireNonNull(glob, "glob");
        double[] rights = observations.stream().filter(Observation::correct).mapToDouble(Observation::similarity).sorted().toArray();
        double[] wrongs = observations.stream().filter(o -> !o.correct()).mapToDouble(Observation::similarity).toArray();
        double highestWrong = Arrays.stream(wrongs).max().orElse(Double.NaN);
        double wrongBar = Double.isNaN(highestWrong) ? Double.NEGATIVE_INFINITY : highestWrong + WRONG_MARGIN;
        int needed = neededForBound();
        double lowest = lowestSupported(rights, wrongBar, needed);

        double proposed;
        Change change;
        String why;
        if (!Double.isNaN(lowest) && lowest < current) {
            proposed = lowest;
            change = Change.LOWER;
            why = String.format(Locale.ROOT, "%d right answers at or above %.4f and no wrong one%s: the 95%% bound on wrong"
                            + " answers there is %.2f%% (at most %.2f%%)", atOrAbove(rights, proposed), proposed,
                    Double.isNaN(highestWrong) ? "" : String.format(Locale.ROOT, " (the highest wrong was %.4f)", highestWrong),
                    100 * EntryStats.upperErrorBound(atOrAbove(rights, proposed)), 100 * errorBound);
        } else if (wrongBar > current) {
            proposed = Math.min(1.0, wrongBar);
            change = Change.RAISE;
            why = String.format(Locale.ROOT, "a wrong answer at similarity %.4f is at or above the current threshold %.4f:"
                    + " raised just above it", highestWrong, current);
        } else {
            proposed = current;
            change = Change.KEEP;
            int support = Double.isNaN(lowest) ? best(rights, Math.max(floor, wrongBar)) : atOrAbove(rights, current);
            why = observations.isEmpty() ? "no labelled observations for these models"
                    : String.format(Locale.ROOT, "no wrong answer at or above %.4f; lowering needs %d right answers above"
                    + " the highest wrong one and the floor %.2f, there are %d", current, needed, floor, support);
        }
        int wrongAt = (int) Arrays.stream(wrongs).filter(w -> w >= proposed).count();
        Evidence e = new Evidence(observations.size(), rights.length, wrongs.length, highestWrong, atOrAbove(rights, current),
                atOrAbove(rights, proposed), wrongAt, EntryStats.upperErrorBound(atOrAbove(rights, proposed)), needed);
        return new ThresholdProposal(glob, current, proposed, change, why, e);
    }

    /**
     * The lowest right similarity t, above every wrong one and the floor, with at least {@code needed} right answers
     * at or above it; rounded up to four decimals (a readable configuration value, never below what the evidence
     * supports). NaN when there is no such t.
     */
    private double lowestSupported(double[] rights, double wrongBar, int needed) {
        for (int i = 0; i < rights.length; i++) {
            double t = rights[i];
            if (t < wrongBar || t < floor) {
                continue;
            }
            double rounded = Math.ceil(t * 10_000 - 1e-9) / 10_000;
            if (atOrAbove(rights, rounded) >= needed) {
                return rounded;
            }
            if (rights.length - i >= needed) {
                return t; // rounding up would lose the support it needs
            }
            return Double.NaN; // support only shrinks above the first candidate
        }
        return Double.NaN;
    }

    /** Right answers at or above the lowest admissible threshold (for the message when lowering is refused). */
    private static int best(double[] rights, double from) {
        return atOrAbove(rights, from);
    }

    private static int atOrAbove(double[] sorted, double t) {
        int n = 0;
        for (double s : sorted) {
            if (s >= t) {
                n++;
            }
        }
        return n;
    }

    /** The glob of {@code globs} (in order) that fits {@code model}, or the model itself when none does. */
    public static String globFor(Map<String, Double> globs, String model) {
        for (String g : globs.keySet()) {
            if (glob(g).matcher(model).matches()) {
                return g;
            }
        }
        return model;
    }

    /** A model glob as the gateway reads one ({@code *} is any run of characters; everything else literal). */
    static Pattern glob(String text) {
        return Glob.of(text.trim());
    }
}
