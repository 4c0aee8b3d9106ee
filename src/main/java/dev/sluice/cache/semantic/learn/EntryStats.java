package dev.sluice.cache.semantic.learn;

import java.util.Arrays;

/** The observations of one entry and the threshold they imply (see {@link ThresholdLearner}). */
final class EntryStats {
    static final int MAX_OBSERVATIONS = 512;
    /** Just above a wrong similarity: floats from two runs of the same model differ in the last digits. */
    private static final double WRONG_MARGIN = 0.005;

    private final double floor;
    private final double errorBound;
    private final double[] similarity = new double[MAX_OBSERVATIONS];
    private final boolean[] correct = new boolean[MAX_OBSERVATIONS];
    private int count;
    private int next;
    /** Published together, so a reader never pairs a new wrong answer's bar with evidence from before it. */
    private volatile Bars bars = new Bars(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    /**
     * @param wrongBar just above the highest similarity a wrong answer had (-infinity: none)
     * @param evidence the lowest similarity the evidence alone makes safe (+infinity: not enough of it)
     */
    private record Bars(double wrongBar, double evidence) {
    }

    EntryStats(double floor, double errorBound) {
        this.floor = floor;
        this.errorBound = errorBound;
    }

    /**
     * The threshold from a base (the matcher's, or the request's route's): raised above every wrong answer, lowered
     * to where the evidence alone is enough, else the base. Kept apart from the base so a reload that changes a
     * route's threshold moves every entry's at once, with what was learned intact.
     */
    double threshold(double base) {
        Bars b = bars;
        double raised = Math.max(base, b.wrongBar());
        return b.evidence() < raised ? b.evidence() : raised;
    }

    synchronized void add(double s, boolean ok) {
        similarity[next] = s;
        correct[next] = ok;
        next = (next + 1) % MAX_OBSERVATIONS;
        count = Math.min(count + 1, MAX_OBSERVATIONS);
        compute();
    }

    private void compute() {
        double maxWrong = Double.NEGATIVE_INFINITY;
        double[] rights = new double[count];
        int r = 0;
        for (int i = 0; i < count; i++) {
            if (correct[i]) {
                rights[r++] = similarity[i];
            } else {
                maxWrong = Math.max(maxWrong, similarity[i]);
            }
        }
        rights = Arrays.copyOf(rights, r);
        Arrays.sort(rights);
        // Lowest t among right answers, above every wrong one and the floor, with enough support at or above it.
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rights.length; i++) {
            double t = rights[i];
            if (t <= maxWrong || t < floor) {
                continue;
            }
            if (upperErrorBound(rights.length - i) <= errorBound) {
                lowest = t;
            }
            break; // support only shrinks above the first candidate: if it is not enough there, it is nowhere
        }
        bars = new Bars(maxWrong + WRONG_MARGIN, lowest);
    }

    /** 95% upper bound on an error rate after {@code n} trials without an error. */
    static double upperErrorBound(int n) {
        return n == 0 ? 1.0 : 1.0 - Math.pow(0.05, 1.0 / n);
    }
}
