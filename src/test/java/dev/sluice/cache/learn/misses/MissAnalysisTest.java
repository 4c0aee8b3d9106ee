package dev.sluice.cache.learn.misses;

import static dev.sluice.cache.learn.ShapeBuilder.shape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.learn.capture.Bust;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MissAnalysisTest {
    private static MissAnalysis.Report analyse(List<Shape> shapes, List<Bust> busts) {
        return MissAnalysis.analyse(new CaptureFiles.Capture(shapes, busts, 0, false), id -> null, 5, 100);
    }

    private static MissPattern patternOf(MissAnalysis.Report r, String id) {
        return r.misses().stream().filter(m -> m.requestId().equals(id)).findFirst().orElseThrow().pattern();
    }

    private static MissAnalysis.Miss missOf(MissAnalysis.Report r, String id) {
        return r.misses().stream().filter(m -> m.requestId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void sameKeyMissesAreExpiredBustedEvictedOrNotStored() {
        MissAnalysis.Report r = analyse(List.of(
                shape("a1").at(0).scope("team:x").newest("q1").ttl(600).build(),
                shape("a2").at(20).scope("team:x").newest("q1").build(), // 20 min > 10 min TTL, no bust of team:x
                shape("b1").at(0).newest("q2").build(),
                shape("b2").at(30).newest("q2").build(),          // a bust at minute 10 came between
                shape("c1").at(0).newest("q3").build(),
                shape("c2").at(5).newest("q3").build(),           // fresh, no bust: evicted (or in flight)
                shape("d1").at(0).newest("q4").stored(false, "stop_reason max_tokens").build(),
                shape("d2").at(1).newest("q4").build()),
                List.of(new Bust(10 * 60_000, "acme", "org", null), new Bust(11 * 60_000, "other", "org", null)));
        assertThat(patternOf(r, "a2")).isEqualTo(MissPattern.EXPIRED);
        assertThat(missOf(r, "a2").detail()).isEqualTo("stored 20m before, TTL 10m");
        assertThat(patternOf(r, "b2")).isEqualTo(MissPattern.BUSTED);
        assertThat(missOf(r, "b2").nearest()).isEqualTo("b1");
        assertThat(patternOf(r, "c2")).isEqualTo(MissPattern.EVICTED_OR_CONCURRENT);
        assertThat(patternOf(r, "d2")).isEqualTo(MissPattern.NOT_STORED);
        assertThat(missOf(r, "d2").detail()).contains("max_tokens");
        assertThat(patternOf(r, "a1")).isEqualTo(MissPattern.FIRST_SEEN);
        assertThat(patternOf(r, "b1")).as("first in the org scope").isEqualTo(MissPattern.FIRST_SEEN);
        assertThat(patternOf(r, "c1")).isEqualTo(MissPattern.NEW_QUESTION);
    }

    @Test
    void aBustOfAnotherNamespaceDoesNotCount() {
        MissAnalysis.Report r = analyse(List.of(
                shape("a1").at(0).ns("sha1").build(),
                shape("a2").at(5).ns("sha1").build()),
                List.of(new Bust(2 * 60_000, "acme", "org", "sha2")));
        assertThat(patternOf(r, "a2")).isEqualTo(MissPattern.EVICTED_OR_CONCURRENT);
    }

    @Test
    void sameRequestElsewhereIsScopeOrNamespace() {
        MissAnalysis.Report r = analyse(List.of(
                shape("a1").at(0).scope("user:alice").build(),
                shape("a2").at(1).scope("user:bob").build(),
                shape("b1").at(0).ns("sha1").newest("q2").build(),
                shape("b2").at(1).ns("sha2").newest("q2").build()), List.of());
        assertThat(patternOf(r, "a2")).isEqualTo(MissPattern.DIFFERENT_SCOPE);
        assertThat(missOf(r, "a2").detail()).isEqualTo("user:alice vs user:bob");
        assertThat(patternOf(r, "b2")).isEqualTo(MissPattern.DIFFERENT_NAMESPACE);
    }

    @Test
    void nearRequestsAreNamedByWhatDiffers() {
        MissAnalysis.Report r = analyse(List.of(
                shape("w1").at(0).newest("crlf").whitespaceKey("W").build(),
                shape("w2").at(1).newest("lf").whitespaceKey("W").build(),
                shape("d1").at(0).system("/home/alice").loose("LOOSE").build(),
                shape("d2").at(1).system("/home/bob").loose("LOOSE").build(),
                shape("m1").at(0).tools("t2").params("opus").build(),
                shape("m2").at(1).tools("t2").params("sonnet").build(),
                shape("c1").at(0).tools("t3").turns("x", "y").newest("z").build(),
                shape("c2").at(1).tools("t3").turns("x", "Y").newest("z").build(),
                shape("s1").at(0).tools("t4").turns("x").newest("how?").build(),
                shape("s2").at(1).tools("t4").turns("x").newest("how??").similarity(0.81).build(),
                shape("o1").at(0).tools("t5").system("s1").build(),
                shape("o2").at(1).tools("t5").system("s2").build()), List.of());
        assertThat(patternOf(r, "w2")).isEqualTo(MissPattern.WHITESPACE_ONLY);
        assertThat(patternOf(r, "d2")).isEqualTo(MissPattern.DEVELOPER_VALUE);
        assertThat(patternOf(r, "m2")).isEqualTo(MissPattern.DIFFERENT_MODEL_OR_PARAMS);
        assertThat(patternOf(r, "c2")).isEqualTo(MissPattern.DIFFERENT_CONTEXT);
        assertThat(missOf(r, "c2").detail()).isEqualTo("turn 2 of 3 differs");
        assertThat(missOf(r, "c2").nearest()).isEqualTo("c1");
        assertThat(patternOf(r, "s2")).isEqualTo(MissPattern.SEMANTIC_BELOW_THRESHOLD);
        assertThat(patternOf(r, "o2")).isEqualTo(MissPattern.DIFFERENT_SYSTEM_OR_TOOLS);
        assertThat(missOf(r, "o2").detail()).isEqualTo("system differs");
    }

    @Test
    void nothingIsComparedAcrossOrganizationsOrWithLaterRequests() {
        MissAnalysis.Report r = analyse(List.of(
                shape("x1").at(0).org("globex").build(),
                shape("x2").at(1).org("acme").build(),
                shape("x3").at(2).org("acme").build()), List.of());
        assertThat(patternOf(r, "x2")).isEqualTo(MissPattern.FIRST_SEEN);
        assertThat(patternOf(r, "x3")).isEqualTo(MissPattern.EVICTED_OR_CONCURRENT);
    }

    @Test
    void groupsCountDollarsFromTheLedgerWhenItHasThem() {
        List<Shape> shapes = List.of(
                shape("r1").at(0).cost(2_000_000).build(),
                shape("r2").at(1).outcome("refresh").cost(3_000_000).build(),
                shape("r3").at(2).outcome("hit").build(),
                shape("r4").at(3).outcome("bypass").build(),
                shape("r5").at(4).newest("other").cost(5_000_000).build());
        MissAnalysis.Report r = MissAnalysis.analyse(new CaptureFiles.Capture(shapes, List.of(), 0, false),
                Map.of("r1", 7_000_000L)::get, 5, 1);
        assertThat(r.requests()).isEqualTo(5);
        assertThat(r.hits()).isEqualTo(1);
        assertThat(r.bypasses()).isEqualTo(1);
        assertThat(r.missCount()).isEqualTo(3);
        assertThat(r.ledgerCosts()).isTrue();
        assertThat(r.missedNanoUsd()).isEqualTo(7_000_000 + 3_000_000 + 5_000_000);
        assertThat(r.groups()).extracting(MissAnalysis.Group::pattern)
                .containsExactly(MissPattern.FIRST_SEEN, MissPattern.NEW_QUESTION, MissPattern.REFRESH);
        assertThat(r.misses()).hasSize(1).first().extracting(MissAnalysis.Miss::requestId).isEqualTo("r5");
    }

    @Test
    void theTeamDaysMissesShowItsKnownCauses() throws Exception {
        CaptureFiles.Capture day = CaptureFiles.read(java.nio.file.Path.of(getClass().getResource("/cache/learn/team-day.jsonl").toURI()), 0, 10_000);
        MissAnalysis.Report r = MissAnalysis.analyse(day, id -> null, 3, 1000);
        java.util.Map<MissPattern, Long> counts = new java.util.EnumMap<>(MissPattern.class);
        r.groups().forEach(g -> counts.put(g.pattern(), g.count()));
        assertThat(counts).as("dave's CRLF").containsKey(MissPattern.WHITESPACE_ONLY);
        assertThat(counts).as("carol's e-mail in her reminder").containsKey(MissPattern.DEVELOPER_VALUE);
        assertThat(counts).as("the bust at 12:30, the 1-hour TTL, the deploy's namespace")
                .containsKeys(MissPattern.BUSTED, MissPattern.EXPIRED, MissPattern.DIFFERENT_NAMESPACE);
        assertThat(counts).containsKeys(MissPattern.REFRESH, MissPattern.DIFFERENT_CONTEXT, MissPattern.FIRST_SEEN);
        assertThat(counts).as("the generator's store never evicts, and every request is in the capture")
                .doesNotContainKeys(MissPattern.EVICTED_OR_CONCURRENT, MissPattern.DIFFERENT_SCOPE, MissPattern.UNEXPLAINED);
        assertThat(r.missedNanoUsd()).isEqualTo(r.groups().stream().mapToLong(MissAnalysis.Group::nanoUsd).sum());
        assertThat(r.missCount() + r.hits()).isEqualTo(r.requests());
    }
}
