package dev.sluice.guard;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Runs the labelled corpus through a scanner and counts, per rule, what was found, missed and wrongly found. */
final class CorpusEvaluation {
    static final GuardPolicy PII = GuardPolicy.builder().allPii().build();

    /** Counts of one rule. */
    static final class Tally {
        int truePositives;
        int falseNegatives;
        int falsePositives;

        double precision() {
            return truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
        }

        double recall() {
            return truePositives + falseNegatives == 0 ? 1.0 : (double) truePositives / (truePositives + falseNegatives);
        }
    }

    final Map<String, Tally> perRule = new TreeMap<>();
    final List<String> mistakes = new ArrayList<>();
    int positives;
    int negatives;
    int flaggedNegatives;

    static CorpusEvaluation run(GuardScanner scanner, List<Corpus.Case> cases) {
        CorpusEvaluation e = new CorpusEvaluation();
        for (Corpus.Case c : cases) {
            byte[] body = Corpus.body(c);
            GuardScan scan = scanner.scan(body, body.length, c.pii() ? PII : GuardPolicy.defaults());
            Set<String> found = new LinkedHashSet<>();
            scan.findings().forEach(f -> found.add(f.rule()));
            e.count(c, found);
        }
        return e;
    }

    private void count(Corpus.Case c, Set<String> found) {
        if (c.positive()) {
            positives++;
        } else {
            negatives++;
            if (!found.isEmpty()) {
                flaggedNegatives++;
            }
        }
        for (String r : c.expected()) {
            Tally t = perRule.computeIfAbsent(r, k -> new Tally());
            if (found.contains(r)) {
                t.truePositives++;
            } else {
                t.falseNegatives++;
                mistakes.add("missed " + r + " in " + c.file() + " / " + c.name() + " (found " + found + ")");
            }
        }
        for (String r : found) {
            if (!c.expected().contains(r)) {
                perRule.computeIfAbsent(r, k -> new Tally()).falsePositives++;
                mistakes.add("wrongly found " + r + " in " + c.file() + " / " + c.name());
            }
        }
    }

    double falsePositiveRate() {
        return negatives == 0 ? 0 : (double) flaggedNegatives / negatives;
    }
}
