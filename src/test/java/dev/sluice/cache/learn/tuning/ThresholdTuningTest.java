package dev.sluice.cache.learn.tuning;

import static dev.sluice.cache.learn.ShapeBuilder.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.learn.capture.Shape;
import dev.sluice.cache.semantic.learn.Observation;
import dev.sluice.cache.semantic.learn.ThresholdProposal.Change;
import dev.sluice.config.CacheConfig;
import dev.sluice.testing.SluiceHarness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdTuningTest {
    /** The captured shapes' model (ShapeBuilder's). */
    private static final String MODEL = "claude-sonnet-4-5";

    private static CacheConfig.Semantic section(Map<String, Double> thresholds, double errorBound) {
        return new CacheConfig.Semantic("on", null, 0.92, 0.90, errorBound, null, null, null, null, null, null, null, null,
                thresholds, null);
    }

    @Test
    void aLoweredThresholdNamesTheCapturedMissesItWouldHaveLookedUpAsHitsWithTheirDollars() {
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            obs.add(new Observation(MODEL, 0.905 + 0.001 * (i % 50), true));
        }
        obs.add(new Observation(MODEL, 0.89, false));
        List<Shape> shapes = List.of(
                shape("in-reach").outcome("miss").similarity(0.91).cost(2_000_000).build(),
                shape("too-far").outcome("miss").similarity(0.85).cost(5_000_000).build(),
                shape("no-similarity").outcome("miss").cost(7_000_000).build(),
                shape("already-a-hit").outcome("semantic").similarity(0.95).cost(3_000_000).build());
        ThresholdTuning.Tuning t = ThresholdTuning.propose(section(Map.of(), 0.05), obs, shapes, Shape::valueNanoUsd);

        assertThat(t.changes()).isTrue();
        ThresholdTuning.Row row = t.rows().getFirst();
        assertThat(row.proposal().glob()).isEqualTo(MODEL);
        assertThat(row.proposal().change()).isEqualTo(Change.LOWER);
        assertThat(row.missesInReach()).isEqualTo(1);
        assertThat(row.missesNanoUsd()).isEqualTo(2_000_000);
        assertThat(row.hitsLost()).isZero();
        assertThat(t.thresholds()).containsOnlyKeys(MODEL);
        assertThat(t.thresholds().get(MODEL)).isEqualTo(row.proposal().proposed());
    }

    @Test
    void aRaisedThresholdNamesTheCapturedSemanticHitsItWouldHaveMissed() {
        Map<String, Double> globs = new LinkedHashMap<>();
        globs.put("claude-*", 0.92);
        List<Observation> obs = List.of(new Observation(MODEL, 0.94, false));
        List<Shape> shapes = List.of(shape("lost").outcome("semantic").similarity(0.93).cost(3_000_000).build(),
                shape("kept").outcome("semantic").similarity(0.97).cost(4_000_000).build());
        ThresholdTuning.Tuning t = ThresholdTuning.propose(section(globs, 0.01), obs, shapes, Shape::valueNanoUsd);
        ThresholdTuning.Row row = t.rows().getFirst();
        assertThat(row.proposal().change()).isEqualTo(Change.RAISE);
        assertThat(row.hitsLost()).isEqualTo(1);
        assertThat(row.hitsNanoUsd()).isEqualTo(3_000_000);
        assertThat(t.thresholds()).containsExactly(Map.entry("claude-*", 0.945));
    }

    @Test
    void nothingToChangeLeavesTheConfiguredThresholdsAsTheyAre() {
        Map<String, Double> globs = new LinkedHashMap<>();
        globs.put("claude-*", 0.93);
        ThresholdTuning.Tuning t = ThresholdTuning.propose(section(globs, 0.01), List.of(new Observation(MODEL, 0.97, true)),
                List.of(), s -> 0);
        assertThat(t.changes()).isFalse();
        assertThat(t.thresholds()).containsExactly(Map.entry("claude-*", 0.93));
    }

    @Test
    void theEditedConfigurationKeepsEveryOtherSettingAndLoadsWithTheNewThresholds() {
        String yaml = SluiceHarness.BASE_YAML + "cache:\n  semantic: {mode: on, thresholds: {\"claude-opus-*\": 0.95}}\n";
        Map<String, Double> next = new LinkedHashMap<>();
        next.put("claude-opus-*", 0.955);
        next.put("claude-sonnet-4-5", 0.9027);
        String edited = ConfigEdit.withThresholds(yaml, next);

        assertThat(edited).contains("${SIM_URL}").contains("${UPSTREAM_KEY}");
        var before = SluiceHarness.loader("http://127.0.0.1:1").parse("start.yaml", yaml);
        var loaded = SluiceHarness.loader("http://127.0.0.1:1").parse("edited.yaml", edited);
        assertThat(loaded.cache().semantic().thresholds()).containsExactly(Map.entry("claude-opus-*", 0.955),
                Map.entry("claude-sonnet-4-5", 0.9027));
        assertThat(loaded.cache().semantic().mode()).isIn("on", "true");
        assertThat(loaded.upstreams()).isEqualTo(before.upstreams());
        assertThat(loaded.routes()).isEqualTo(before.routes());
        assertThat(ConfigEdit.withThresholds("", Map.of("m", 0.95))).contains("thresholds").contains("m");
        assertThatThrownBy(() -> ConfigEdit.withThresholds("cache: [1, 2]", Map.of())).hasMessageContaining("cache");
    }
}
