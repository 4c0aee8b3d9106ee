package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.learn.Observation;
import dev.sluice.cache.semantic.learn.ThresholdProposal;
import dev.sluice.cache.semantic.learn.ThresholdProposer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The threshold proposal on the committed labelled set (372 pairs), through the real matcher and model: every pair
 * whose second question the anchor, the guard and the retrieval floor let through becomes a verdict at its verified
 * similarity (right for a same-answer pair, wrong for a different-answer one), as shadow mode would record it.
 */
class ThresholdProposalOnLabelledSetTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static SemanticMatchers matchers;
    private static List<LabelledPairs.Pair> pairs;
    private static List<Observation> observations;

    /** One pair's verdict, when it reached verification. */
    private record Verdict(int index, Observation observation) {
    }

    private static List<Verdict> verdicts;

    @BeforeAll
    static void score() {
        matchers = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test"), 2);
        // Thresholds low enough that every candidate that passes anchor, guard and retrieval floor reports its similarity.
        SemanticSettings everything = new SemanticSettings(SemanticMode.ON, SemanticSettings.DEFAULT_RETRIEVAL_FLOOR, 0.5, 0.5,
                0.01, 4, Duration.ofDays(7), 8_192, 50_000, 256L << 20);
        SemanticMatcher m = matchers.matcher(everything, IndexLoader.NONE, StoreListener.NONE);
        pairs = LabelledPairs.load().pairs();
        verdicts = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            LabelledPairs.Pair p = pairs.get(i);
            byte[] a = ClaudeCodeTurns.body(p.contextA(), p.a());
            byte[] b = ClaudeCodeTurns.body(p.contextB(), p.b());
            NewestTurn ta = NewestTurn.of(a);
            NewestTurn tb = NewestTurn.of(b);
            m.store(p.id(), ClaudeCodeTurns.anchor(a, ta), ta.text(), false, p.id()).toCompletableFuture().join();
            Optional<Match> found = m.lookup(LookupRequest.of(p.id(), ClaudeCodeTurns.anchor(b, tb), tb)).toCompletableFuture().join();
            if (found.isPresent()) {
                verdicts.add(new Verdict(i, new Observation(MODEL, found.get().similarity(), p.same())));
            }
        }
        observations = verdicts.stream().map(Verdict::observation).toList();
    }

    @AfterAll
    static void close() {
        if (matchers != null) {
            matchers.close();
        }
    }

    private static long served(List<Observation> obs, double t, boolean same) {
        return obs.stream().filter(o -> o.correct() == same && o.similarity() >= t).count();
    }

    @Test
    void withEnoughEvidenceForTheBoundItLowersTheThresholdForMoreHitsAndServesNoDifferentAnswerPair() {
        assertThat(observations.stream().filter(o -> !o.correct())).as("different-answer pairs reach verification").isNotEmpty();
        ThresholdProposal p = new ThresholdProposer(0.90, 0.05).propose("claude-*", 0.92, observations);
        System.out.printf("labelled set: %d verdicts; proposal %s %.4f; same served %d (at 0.92: %d) of 154; different %d; %s%n",
                observations.size(), p.change(), p.proposed(), served(observations, p.proposed(), true),
                served(observations, 0.92, true), served(observations, p.proposed(), false), p.why());

        assertThat(p.change()).isEqualTo(ThresholdProposal.Change.LOWER);
        assertThat(served(observations, p.proposed(), false)).as("different-answer pairs served").isZero();
        assertThat(p.evidence().wrongAtProposed()).isZero();
        assertThat(p.proposed()).isGreaterThan(p.evidence().highestWrong()).isGreaterThanOrEqualTo(0.90).isLessThan(0.92);
        long same = pairs.stream().filter(LabelledPairs.Pair::same).count();
        assertThat(served(observations, p.proposed(), true)).as("at least half the same-answer pairs hit")
                .isGreaterThanOrEqualTo(same / 2).isGreaterThan(served(observations, 0.92, true));
        assertThat(p.evidence().errorUpperBound()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void underTheDefaultOnePercentBoundTheSetIsTooSmallToLowerAnythingAndSaysHowMuchMoreItNeeds() {
        ThresholdProposal p = new ThresholdProposer(0.90, 0.01).propose("claude-*", 0.92, observations);
        assertThat(p.change()).isEqualTo(ThresholdProposal.Change.KEEP);
        assertThat(p.proposed()).isEqualTo(0.92);
        assertThat(p.evidence().neededForBound()).isEqualTo(299);
        assertThat(p.why()).contains("lowering needs 299 right answers");
    }

    @Test
    void aProposalFromHalfTheSetHoldsOnTheOtherHalf() {
        List<Observation> train = verdicts.stream().filter(v -> v.index() % 2 == 0).map(Verdict::observation).toList();
        List<Observation> held = verdicts.stream().filter(v -> v.index() % 2 == 1).map(Verdict::observation).toList();
        ThresholdProposal p = new ThresholdProposer(0.90, 0.10).propose("claude-*", 0.92, train);
        System.out.printf("half the set: proposal %s %.4f from %d verdicts; held-out same served %d (at 0.92: %d), different %d%n",
                p.change(), p.proposed(), train.size(), served(held, p.proposed(), true), served(held, 0.92, true),
                served(held, p.proposed(), false));
        assertThat(served(held, p.proposed(), false)).as("different-answer pairs of the other half served").isZero();
    }
}
