package dev.sluice.guard.engine;

import dev.sluice.guard.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompt-injection signals of one string, combined into a score in [0, 1] as a noisy OR: each signal
 * is an independent piece of evidence, {@code 1 - (1 - w1)(1 - w2)...}. Supporting signals (concealment,
 * addressing the model) only count when the string has a primary one, so "do not tell the user" in a
 * code comment scores nothing by itself.
 */
final class InjectionScore {
    private final List<Rule> rules = new ArrayList<>();
    private final IntArray ranges = new IntArray(16);
    private final List<Double> weights = new ArrayList<>();
    private final List<Boolean> primary = new ArrayList<>();

    void clear() {
        rules.clear();
        ranges.clear();
        weights.clear();
        primary.clear();
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    void add(Rule rule, int start, int end, double weight, boolean isPrimary) {
        if (rules.size() >= 256 || weight <= 0) {
            return;
        }
        rules.add(rule);
        ranges.add(start);
        ranges.add(end);
        weights.add(Math.min(1.0, weight));
        primary.add(isPrimary);
    }

    /** Appends this score's signals to {@code other}. */
    void copyTo(InjectionScore other) {
        for (int i = 0; i < rules.size(); i++) {
            other.add(rules.get(i), start(i), end(i), weights.get(i), primary.get(i));
        }
    }

    double score() {
        double missPrimary = 1;
        double missSupport = 1;
        boolean any = false;
        for (int i = 0; i < rules.size(); i++) {
            if (primary.get(i)) {
                missPrimary *= 1 - weights.get(i);
                any = true;
            } else {
                missSupport *= 1 - weights.get(i);
            }
        }
        return any ? 1 - missPrimary * missSupport : 0;
    }

    /** Index of the strongest primary signal, or -1. */
    int strongest() {
        int best = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (primary.get(i) && (best < 0 || weights.get(i) > weights.get(best))) {
                best = i;
            }
        }
        return best;
    }

    double weight(int i) {
        return weights.get(i);
    }

    Rule rule(int i) {
        return rules.get(i);
    }

    int start(int i) {
        return ranges.get(2 * i);
    }

    int end(int i) {
        return ranges.get(2 * i + 1);
    }
}
