package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.stage.SemanticStats.Lookup;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigVersions;
import dev.sluice.config.LiveConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trial of a version that changes the semantic section, on a real live configuration with recorded versions
 * and a clock of our own: wrong-answer signals over the allowed share of its hits, or its hit rate falling below
 * the allowed part of the one before, bring the previous version back; a version that holds for its window stands;
 * a change elsewhere, and the rollback's own version, are not on trial.
 */
class SemanticRollbackTest {
    private static final String START = "cache:\n  semantic: {mode: on, rollback: {window: 1h, min-hits: 20, min-lookups: 100}}\n";
    private static final String TUNED = START.replace("mode: on,", "mode: on, thresholds: {\"claude-*\": 0.95},");

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final SemanticStats stats = new SemanticStats();
    private LiveConfig live;
    private SemanticRollback rollback;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, START);
        ConfigLoader loader = new ConfigLoader(Map.of());
        live = LiveConfig.start(loader.parse(file.toString(), START), file, loader, List.of(CacheRules.PART),
                new ConfigVersions(dir));
        rollback = new SemanticRollback(live, stats, clock::get);
        live.onApplied(rollback::applied);
        traffic(100, 100, 0); // before the change: half the lookups hit
    }

    private void traffic(int hits, int misses, int thumbsDown) {
        for (int i = 0; i < hits; i++) {
            stats.lookup(Lookup.HIT);
        }
        for (int i = 0; i < misses; i++) {
            stats.lookup(Lookup.MISS);
        }
        for (int i = 0; i < thumbsDown; i++) {
            stats.feedback(true);
        }
    }

    private int tune() {
        return live.apply(TUNED, "test", "ops-ana", "tuning").version();
    }

    @Test
    void wrongAnswersOverTheShareOfItsHitsBringThePreviousVersionBack() {
        int tuned = tune();
        traffic(100, 100, 5); // 5% of 100 hits: at the line, not over it
        assertThat(rollback.check()).isEqualTo(-1);
        traffic(0, 0, 1); // 6 of 100
        int now = rollback.check();
        assertThat(now).isGreaterThan(tuned);
        assertThat(live.current().config().cache().semantic().thresholds()).isEmpty();
        ConfigVersions.Version last = live.history().getLast();
        assertThat(last.who()).isEqualTo(SemanticRollback.WHO);
        assertThat(last.source()).isEqualTo("rollback to " + (tuned - 1));
        traffic(0, 0, 50);
        assertThat(rollback.check()).as("the restored version is not itself on trial").isEqualTo(-1);
    }

    @Test
    void aHitRateFallingBelowHalfTheOneBeforeBringsThePreviousVersionBack() {
        int tuned = tune();
        traffic(30, 70, 0); // 30% against 50% before: above half of it
        assertThat(rollback.check()).isEqualTo(-1);
        traffic(0, 200, 0); // 30 of 300: 10%
        assertThat(rollback.check()).isGreaterThan(tuned);
        assertThat(live.current().config().cache().semantic().thresholds()).isEmpty();
    }

    @Test
    void tooFewHitsOrLookupsDecideNothingAndAVersionThatHeldForItsWindowStands() {
        tune();
        traffic(10, 10, 5); // 5 thumbs-down, but only 10 hits (min-hits 20); 20 lookups (min 100)
        assertThat(rollback.check()).isEqualTo(-1);
        clock.addAndGet(3_600_001); // the window is over
        assertThat(rollback.check()).isEqualTo(-1);
        traffic(100, 500, 100);
        assertThat(rollback.check()).as("the trial is over: the version stands").isEqualTo(-1);
        assertThat(live.current().config().cache().semantic().thresholds()).containsEntry("claude-*", 0.95);
    }

    @Test
    void aChangeOutsideTheSemanticSectionIsNotOnTrial() {
        live.apply(START + "server: {port: 9999}\n", "test", "ops-ana", "port");
        traffic(100, 100, 100);
        assertThat(rollback.check()).isEqualTo(-1);
        assertThat(live.history().getLast().who()).isEqualTo("ops-ana");
    }

    /** Attack round 9 F5: a tenant's thumbs-down must not revert a budget (or any other change) made in the same version. */
    @Test
    void aVersionThatAlsoChangesAnotherSectionIsNotOnTrialSoSignalsCannotRevertTheOtherChange() {
        String cutOff = TUNED + "budgets:\n  list: [{name: evil-cutoff, level: org, id: evil, usd: 0.01}]\n";
        int mixed = live.apply(cutOff, "test", "ops-ana", "tuning and a budget").version();
        traffic(100, 100, 100);
        assertThat(rollback.check()).isEqualTo(-1);
        assertThat(live.current().version()).isEqualTo(mixed);
        assertThat(live.current().config().budgets().list()).extracting(b -> b.name()).containsExactly("evil-cutoff");
    }

    @Test
    void theSameFileParsedTwiceCountsAsNoChangeOutsideTheSemanticSection() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of());
        String full = TUNED + "server: {port: 9999}\nbudgets:\n  list: [{name: a, level: org, id: acme, usd: 5}]\n"
                + "guard: {enabled: true}\nupstreams: [{name: up, base-url: \"http://127.0.0.1:9\", keys: [{alias: k, value: sk-x}]}]\n"
                + "routes: [{name: all, upstream: up}]\n";
        var a = loader.parse("a.yaml", full);
        var b = loader.parse("b.yaml", full.replace("thresholds: {\"claude-*\": 0.95}", "thresholds: {\"claude-*\": 0.9}"));
        assertThat(SemanticOnly.changed(a, b)).isTrue();
        assertThat(SemanticOnly.changed(a, loader.parse("c.yaml", full.replace("usd: 5", "usd: 6")))).isFalse();
    }
}
