package dev.sluice.cache.semantic.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThresholdLearnerTest {
    @Test
    void aWrongAnswerRaisesTheEntrysThresholdAboveIt() {
        ThresholdLearner l = new ThresholdLearner(0.92, 0.88, 0.01, 1000);
        l.observe("e", 0.95, false);
        assertThat(l.threshold("e")).isGreaterThan(0.95);
        assertThat(l.threshold("other")).isEqualTo(0.92);
    }

    @Test
    void onlyEnoughRightAnswersLowerIt_neverBelowTheFloorOrAWrongOne() {
        ThresholdLearner l = new ThresholdLearner(0.92, 0.88, 0.01, 1000);
        for (int i = 0; i < 100; i++) {
            l.observe("e", 0.90, true);
        }
        assertThat(l.threshold("e")).isEqualTo(0.92); // 100 right answers bound the error at 3%, not 1%
        for (int i = 0; i < 250; i++) {
            l.observe("e", 0.90, true);
        }
        assertThat(l.threshold("e")).isEqualTo(0.90);
        for (int i = 0; i < 400; i++) {
            l.observe("f", 0.80, true);
        }
        assertThat(l.threshold("f")).isEqualTo(0.92); // below the floor: ignored
        l.observe("e", 0.91, false);
        assertThat(l.threshold("e")).isGreaterThan(0.91);
    }

    @Test
    void aRoutesBaseReplacesTheBaseWhileWhatWasLearnedStillHolds() {
        ThresholdLearner l = new ThresholdLearner(0.92, 0.88, 0.01, 1000);
        assertThat(l.threshold("new", 0.97)).isEqualTo(0.97); // a strict route
        assertThat(l.threshold("new", 0.89)).isEqualTo(0.89); // a looser one
        assertThat(l.threshold("new", 0.50)).isEqualTo(0.88); // never below the floor
        assertThat(l.threshold("new", Double.NaN)).isEqualTo(0.92); // no route threshold: the learner's own
        l.observe("wrong", 0.95, false);
        assertThat(l.threshold("wrong", 0.89)).isGreaterThan(0.95); // a wrong answer's bar beats any base
        assertThat(l.threshold("wrong", 0.99)).isEqualTo(0.99);
        for (int i = 0; i < 350; i++) {
            l.observe("proven", 0.90, true);
        }
        assertThat(l.threshold("proven", 0.97)).isEqualTo(0.90); // enough evidence lowers any base down to it
        assertThat(l.threshold("proven", 0.89)).isEqualTo(0.89); // but a lower base stays lower
    }

    @Test
    void badSettingsAndValuesAreRejected() {
        assertThatThrownBy(() -> new ThresholdLearner(0.9, 0.95, 0.01, 10)).hasMessageContaining("floor");
        assertThatThrownBy(() -> new ThresholdLearner(0.9, 0.8, 0.7, 10)).hasMessageContaining("δ");
        ThresholdLearner l = new ThresholdLearner(0.9, 0.8, 0.01, 10);
        assertThatThrownBy(() -> l.observe("e", Double.NaN, true)).hasMessageContaining("similarity");
    }
}
