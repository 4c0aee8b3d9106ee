package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedLabelTest {
    @Test
    void keepsTheFirstValuesThenReportsOther() {
        BoundedLabel label = new BoundedLabel(2);
        assertThat(label.of("a")).isEqualTo("a");
        assertThat(label.of("b")).isEqualTo("b");
        assertThat(label.of("c")).isEqualTo(BoundedLabel.OTHER);
        assertThat(label.of("a")).isEqualTo("a");
    }

    @Test
    void absentAndOverlongValuesHaveFixedNames() {
        BoundedLabel label = new BoundedLabel(10);
        assertThat(label.of(null)).isEqualTo(BoundedLabel.NONE);
        assertThat(label.of("")).isEqualTo(BoundedLabel.NONE);
        assertThat(label.of("m".repeat(101))).isEqualTo(BoundedLabel.OTHER);
    }

    /** Attack round 8: 200 requests for invented models filled the cap, and a real model was "other" until a restart. */
    @Test
    void valuesNotAdmittedCannotUseUpTheCap() {
        BoundedLabel label = new BoundedLabel(200);
        for (int i = 0; i < 500; i++) {
            assertThat(label.of("junk-" + i, false)).isEqualTo(BoundedLabel.OTHER);
        }
        assertThat(label.of("claude-opus-4-6", true)).isEqualTo("claude-opus-4-6");
        assertThat(label.of("claude-opus-4-6", false)).as("once admitted, always its own").isEqualTo("claude-opus-4-6");
        assertThat(label.of(null, false)).isEqualTo(BoundedLabel.NONE);
    }

    /** An operator must be able to see that "other" hides real names (attack round 39: a hostile key can fill the cap). */
    @Test
    void countsWhatTheCapTurnedAway() {
        BoundedLabel label = new BoundedLabel(2);
        label.of("a");
        label.of("b");
        label.of("c");
        label.of("d");
        label.of("a");
        label.of("x".repeat(101));
        assertThat(label.overflowed()).isEqualTo(3);
        label.of("junk", false); // not admitted: never a candidate for the cap, so not an overflow
        label.of(null);
        assertThat(label.overflowed()).isEqualTo(3);
    }

    @Test
    void rejectsANonPositiveCap() {
        assertThatThrownBy(() -> new BoundedLabel(0)).hasMessage("max: 0 (expected: >= 1)");
    }
}
