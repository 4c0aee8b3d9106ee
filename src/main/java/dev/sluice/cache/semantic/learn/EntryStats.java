package dev.sluice.cache.semantic.learn;

import java.util.Arrays;

/** The observations of one entry and the threshold they imply (see {@link ThresholdLearner}). */
final class EntryStats {
    static final int MAX_OBSERVATIONS = 512;
    /** Just above a wrong similarity: floats from two runs of the same model differ in the last digits. */
    private static final double WRONG_MARGIN = 0.005;

    private final double base;
    private final double floor;
    private final double errorBound;
    private final double[] similarity = new double[MAX_OBSERVATIONS];
    private final boolean[] correct = new boolean[MAX_OBSERVATIONS];
    private int count;
    private int next;
    private volatile double threshold;

    EntryStats(double base, double floor, double errorBound) {
        this.base = base;
        this.floor = floor;
        this.errorBound = errorBound;
        this.threshold = base;
    }

    double threshold() {
        return threshold;
    }

    synchronized void add(double s, boolean ok) {
        similarity[next] = s;
        correct[next] = ok;
        next = (next + 1) % MAX_OBSERVATIONS;
        count = Math.min(count + 1, MAX_OBSERVATIONS);
        threshold = compute();
    }

    private double compute() {
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
        double raised = Math.max(base, maxWrong + WRONG_MARGIN);
        rights = Arrays.copyOf(rights, r);
        Arrays.sort(rights);
        // Lowest t among right answers, above every wrong one and the floor, with enough support.
        for (int i = 0; i < rights.length; i++) {
            double t = rights[i];
            if (t <= maxWrong || t < floor) {
                continue;
            }
            if (t >= raised) {
                break;
            }
            int support = rights.length - i;
            if (upperErrorBound(support) <= errorBound) {
                return t;
            }
        }
        return raised;
    }

    /** 95% upper bound on an error rate after {@code n} trials without an error. */
    static double upperErrorBound(int n) {
        return n == 0 ? 1.0 : 1.0 - Math.pow(0.05, 1.0 / n);
    }
}
