package dev.sluice.cache.semantic.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.semantic.learn.ThresholdProposal.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdProposerTest {
    /** {@code n} right answers spread evenly over [from, to]. */
    private static List<Observation> rights(String model, int n, double from, double to) {
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Observation(model, from + (to - from) * i / Math.max(1, n - 1), true));
        }
        return out;
    }

    @Test
    void theErrorBoundSetsHowManyRightAnswersLoweringNeeds() {
        assertThat(new ThresholdProposer(0.9, 0.01).neededForBound()).isEqualTo(299);
        assertThat(new ThresholdProposer(0.9, 0.05).neededForBound()).isEqualTo(59);
        assertThat(EntryStats.upperErrorBound(299)).isLessThanOrEqualTo(0.01);
        assertThat(EntryStats.upperErrorBound(298)).isGreaterThan(0.01);
    }

    @Test
    void lowersToTheLowestRightAnswerAboveEveryWrongOneWithEnoughSupport() {
        List<Observation> obs = new ArrayList<>(rights("m", 1000, 0.80, 0.99));
        obs.add(new Observation("m", 0.86, false));
        ThresholdProposal p = new ThresholdProposer(0.85, 0.01).propose("m", 0.92, obs);
        assertThat(p.change()).isEqualTo(Change.LOWER);
        assertThat(p.proposed()).isGreaterThanOrEqualTo(0.865).isLessThan(0.87);
        assertThat(p.evidence().wrongAtProposed()).isZero();
        assertThat(p.evidence().servedAtProposed()).isGreaterThan(p.evidence().servedAtCurrent()).isGreaterThanOrEqualTo(299);
        assertThat(p.evidence().errorUpperBound()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void neverBelowTheFloor() {
        ThresholdProposal p = new ThresholdProposer(0.90, 0.01).propose("m", 0.92, rights("m", 2000, 0.60, 0.99));
        assertThat(p.proposed()).isGreaterThanOrEqualTo(0.90).isLessThan(0.9005);
    }

    @Test
    void aWrongAnswerAtOrAboveTheCurrentThresholdRaisesItWithoutFurtherEvidence() {
        List<Observation> obs = new ArrayList<>(rights("m", 5, 0.93, 0.99));
        obs.add(new Observation("m", 0.95, false));
        ThresholdProposal p = new ThresholdProposer(0.90, 0.01).propose("m", 0.92, obs);
        assertThat(p.change()).isEqualTo(Change.RAISE);
        assertThat(p.proposed()).isEqualTo(0.955, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.why()).contains("0.9500").contains("0.9200");
        ThresholdProposal top = new ThresholdProposer(0.90, 0.01).propose("m", 0.92, List.of(new Observation("m", 0.999, false)));
        assertThat(top.proposed()).isEqualTo(1.0);
    }

    @Test
    void tooLittleEvidenceKeepsTheThresholdAndSaysWhatIsMissing() {
        ThresholdProposal p = new ThresholdProposer(0.90, 0.01).propose("m", 0.92, rights("m", 50, 0.90, 0.99));
        assertThat(p.change()).isEqualTo(Change.KEEP);
        assertThat(p.proposed()).isEqualTo(0.92);
        assertThat(p.why()).contains("needs 299").contains("there are 50");
        assertThat(new ThresholdProposer(0.90, 0.01).propose("m", 0.92, List.of()).why()).contains("no labelled observations");
    }

    @Test
    void observationsAreFiledUnderTheFirstGlobThatFitsTheirModelAsTheGatewayReadsThem() {
        Map<String, Double> globs = new LinkedHashMap<>();
        globs.put("claude-opus-*", 0.95);
        globs.put("claude-*", 0.93);
        List<Observation> obs = new ArrayList<>();
        obs.add(new Observation("claude-opus-4-1", 0.97, false));   // raises claude-opus-*
        obs.addAll(rights("claude-sonnet-4-5", 10, 0.94, 0.99));     // claude-*: too few to lower
        obs.add(new Observation("gpt-4o", 0.95, false));            // no glob: its own, from the base
        obs.add(new Observation("", 0.99, false));                  // no model: left out
        List<ThresholdProposal> all = new ThresholdProposer(0.90, 0.01).proposeAll(globs, 0.92, obs);
        assertThat(all).extracting(ThresholdProposal::glob).containsExactly("claude-opus-*", "claude-*", "gpt-4o");
        assertThat(all).extracting(ThresholdProposal::change).containsExactly(Change.RAISE, Change.KEEP, Change.RAISE);
        assertThat(all.get(0).proposed()).isEqualTo(0.975, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(all.get(2).current()).isEqualTo(0.92);
        assertThat(ThresholdProposer.globFor(globs, "claude-opus-4-1")).isEqualTo("claude-opus-*");
        assertThat(ThresholdProposer.globFor(globs, "gpt-4o")).isEqualTo("gpt-4o");
    }

    @Test
    void badSettingsNameTheValue() {
        assertThatThrownBy(() -> new ThresholdProposer(0.9, 0.6)).hasMessageContaining("errorBound: 0.6");
        assertThatThrownBy(() -> new Observation("m", 2.0, true)).hasMessageContaining("similarity: 2.0");
    }
}
