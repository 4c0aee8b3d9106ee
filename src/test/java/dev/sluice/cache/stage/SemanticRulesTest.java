package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.semantic.SemanticMode;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cache.semantic} section: off unless configured, per-model globs, every problem named by key. */
class SemanticRulesTest {
    private static SemanticRules compile(String yaml) {
        SluiceConfig c = new ConfigLoader(Map.of()).parse("t.yaml", yaml);
        return LiveConfig.fixed(c, List.of(CacheRules.PART)).current().get(CacheRules.PART).semantic();
    }

    @Test
    void offUnlessConfiguredAndOffWhenTheCacheIsOff() {
        assertThat(compile("cache: {}").mode()).isEqualTo(SemanticMode.OFF);
        assertThat(compile("cache: {}").modeFor("claude-sonnet-4-5")).isEqualTo(SemanticMode.OFF);
        assertThat(compile("cache: {enabled: false, semantic: {mode: on}}").modeFor("claude-sonnet-4-5"))
                .isEqualTo(SemanticMode.OFF);
        assertThat(compile("server: {port: 0}").mode()).isEqualTo(SemanticMode.OFF);
    }

    @Test
    void modesAndModelGlobsWithTheirSettings() {
        SemanticRules r = compile("""
                cache:
                  semantic: {mode: shadow, routes: ["claude-*sonnet*"], threshold: 0.95, threshold-floor: 0.93,
                             entry-ttl: 1d, max-entries: 1000, max-bytes: 32MB, queue: 64}
                """);
        assertThat(r.mode()).isEqualTo(SemanticMode.SHADOW);
        assertThat(r.modeFor("claude-sonnet-4-5")).isEqualTo(SemanticMode.SHADOW);
        assertThat(r.modeFor("claude-haiku-4-5")).isEqualTo(SemanticMode.OFF);
        assertThat(r.settings().threshold()).isEqualTo(0.95);
        assertThat(r.settings().thresholdFloor()).isEqualTo(0.93);
        assertThat(r.settings().entryTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(r.settings().maxEntriesPerIndex()).isEqualTo(1000);
        assertThat(r.settings().maxIndexBytes()).isEqualTo(32L << 20);
        assertThat(r.queue()).isEqualTo(64);
        assertThat(compile("cache: {semantic: {mode: on}}").modeFor("anything")).isEqualTo(SemanticMode.ON);
        assertThat(compile("cache: {semantic: {mode: off}}").mode()).isEqualTo(SemanticMode.OFF);
    }

    @Test
    void perModelThresholdsFirstGlobWinsAndOthersKeepTheMatchersBase() {
        SemanticRules r = compile("""
                cache:
                  semantic:
                    mode: on
                    threshold-floor: 0.90
                    thresholds: {"claude-opus-*": 0.97, "claude-*": 0.93}
                """);
        assertThat(r.thresholdFor("claude-opus-4-1")).isEqualTo(0.97);
        assertThat(r.thresholdFor("claude-sonnet-4-5")).isEqualTo(0.93);
        assertThat(r.thresholdFor("gpt-4o")).isNaN();
        assertThat(r.thresholdFor(null)).isNaN();
        assertThatThrownBy(() -> compile("""
                cache:
                  semantic: {mode: on, threshold-floor: 0.90, thresholds: {"claude-*": 0.5, "": 0.95}}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cache.semantic.thresholds.claude-*: '0.5' (expected: from 0.9 to 1.0)")
                .hasMessageContaining("cache.semantic.thresholds: ''");
    }

    @Test
    void everyProblemIsNamedByItsKey() {
        assertThatThrownBy(() -> compile("""
                cache:
                  semantic: {mode: sometimes, routes: [""], threshold: 1.5, threshold-floor: 0.2, error-bound: 0.7,
                             candidates: 0, entry-ttl: 0s, max-entries: 0, max-bytes: 1KB, queue: 0, max-wait: 0s, model-threads: 99}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cache.semantic.mode: 'sometimes' (expected: off, shadow or on)")
                .hasMessageContaining("cache.semantic.routes[0]")
                .hasMessageContaining("cache.semantic.threshold: '1.5'")
                .hasMessageContaining("cache.semantic.threshold-floor: '0.2'")
                .hasMessageContaining("cache.semantic.error-bound")
                .hasMessageContaining("cache.semantic.candidates")
                .hasMessageContaining("cache.semantic.entry-ttl")
                .hasMessageContaining("cache.semantic.max-entries")
                .hasMessageContaining("cache.semantic.max-bytes")
                .hasMessageContaining("cache.semantic.queue")
                .hasMessageContaining("cache.semantic.max-wait: '0ms' (expected: from 1ms to 5s)")
                .hasMessageContaining("cache.semantic.model-threads");
    }
}
