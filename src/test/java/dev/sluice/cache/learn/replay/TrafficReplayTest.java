package dev.sluice.cache.learn.replay;

import static dev.sluice.cache.learn.ShapeBuilder.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.learn.capture.Bust;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.Shape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrafficReplayTest {
    private static CaptureFiles.Capture capture(List<Bust> busts, Shape... shapes) {
        return new CaptureFiles.Capture(List.of(shapes), busts, 0, false);
    }

    private static ReplayPolicy policy(String name, Duration ttl, String scope, boolean namespaces) {
        return new ReplayPolicy(name, ttl, scope, null, null, namespaces, true);
    }

    @Test
    void ttlDecidesWhetherALaterRequestHits() {
        CaptureFiles.Capture c = capture(List.of(), shape("a").at(0).cost(10).build(), shape("b").at(30).cost(10).build());
        assertThat(TrafficReplay.run(c, policy("10m", Duration.ofMinutes(10), null, true)).hits()).isZero();
        TrafficReplay.Result hour = TrafficReplay.run(c, policy("1h", Duration.ofHours(1), null, true));
        assertThat(hour.hits()).isEqualTo(1);
        assertThat(hour.savedNanoUsd()).isEqualTo(10);
        assertThat(hour.spentNanoUsd()).isEqualTo(10);
        assertThat(hour.hitRate()).isEqualTo(0.5);
    }

    @Test
    void scopesShareOrSeparate() {
        CaptureFiles.Capture c = capture(List.of(), shape("a").at(0).user("alice").scope("user:alice").build(),
                shape("b").at(1).user("bob").scope("user:bob").build());
        assertThat(TrafficReplay.run(c, ReplayPolicy.recorded()).hits()).isZero();
        assertThat(TrafficReplay.run(c, policy("org", null, "org", true)).hits()).isEqualTo(1);
        assertThat(TrafficReplay.run(c, policy("user", null, "user", true)).hits()).isZero();
    }

    @Test
    void notStoredAnswersAndRefreshesNeverServeAndBustsEmpty() {
        CaptureFiles.Capture c = capture(List.of(new Bust(15 * 60_000, "acme", "org", null)),
                shape("a").at(0).stored(false, "max_tokens").build(),
                shape("b").at(1).build(),
                shape("c").at(2).outcome("refresh").build(),
                shape("d").at(3).build(),
                shape("e").at(20).build());
        TrafficReplay.Result r = TrafficReplay.run(c, ReplayPolicy.recorded());
        assertThat(r.hits()).as("only d, from b (c's refresh went upstream; the bust emptied it before e)").isEqualTo(1);
        ReplayPolicy ignoreBusts = new ReplayPolicy("no-busts", null, null, null, null, true, false);
        assertThat(TrafficReplay.run(c, ignoreBusts).hits()).isEqualTo(2);
    }

    @Test
    void aHitWhoseRecordedAnswerDiffersIsRisky() {
        CaptureFiles.Capture c = capture(List.of(), shape("a").at(0).ns("v1").answer("old").build(),
                shape("b").at(1).ns("v2").answer("new").build(), shape("c").at(2).ns("v2").answer("new").build());
        TrafficReplay.Result namespaced = TrafficReplay.run(c, ReplayPolicy.recorded());
        assertThat(namespaced.hits()).isEqualTo(1);
        assertThat(namespaced.riskyHits()).isZero();
        TrafficReplay.Result ignored = TrafficReplay.run(c, policy("ignore", null, null, false));
        assertThat(ignored.hits()).isEqualTo(2);
        assertThat(ignored.riskyHits()).isEqualTo(2);
        assertThat(ignored.riskRate()).isEqualTo(1.0);
    }

    @Test
    void onTheTeamDayEachRuleEarnsWhatItShould() throws Exception {
        CaptureFiles.Capture day = CaptureFiles.read(Path.of(getClass().getResource("/cache/learn/team-day.jsonl").toURI()), 0, 10_000);
        Map<String, TrafficReplay.Result> r = TrafficReplay.run(day, ReplayPolicy.defaults()).stream()
                .collect(Collectors.toMap(x -> x.policy().name(), Function.identity()));
        long recordedHits = day.shapes().stream().filter(Shape::hit).count();
        assertThat(r.get("as-recorded").hits()).as("an ideal store hits at least what the gateway did").isGreaterThanOrEqualTo(recordedHits);
        assertThat(r.get("as-recorded").riskyHits()).isZero();
        assertThat(r.get("exact-keys").hits()).as("home directories differ: exact keys barely share")
                .isLessThan(r.get("workspace-relative").hits());
        assertThat(r.get("+whitespace").hits()).as("dave's CRLF joins the others").isGreaterThan(r.get("workspace-relative").hits());
        assertThat(r.get("per-user").hits()).isLessThan(r.get("as-recorded").hits());
        assertThat(r.get("ttl-24h").hits()).isGreaterThan(r.get("as-recorded").hits());
        assertThat(r.get("ttl-5m").hits()).isLessThan(r.get("as-recorded").hits());
        assertThat(r.get("ttl-24h").riskyHits()).as("namespaces keep the deploy's changed answers apart").isZero();
        TrafficReplay.Result acrossDeploys = TrafficReplay.run(day, new ReplayPolicy("day-long, across deploys", Duration.ofHours(24),
                null, null, null, false, true));
        assertThat(acrossDeploys.riskyHits()).as("answers changed with the deploy").isPositive();
        assertThat(acrossDeploys.hits()).isGreaterThan(r.get("ttl-24h").hits());
        assertThat(r.get("+whitespace").savedNanoUsd()).isGreaterThan(r.get("workspace-relative").savedNanoUsd());
    }

    @Test
    void policyFilesAreCheckedWithClearErrors() {
        List<ReplayPolicy> p = PolicyFile.parse("p.yaml", """
                policies:
                  - name: today
                  - {name: shared, scope: org, ttl: 4h, rewrite: true, whitespace: true, namespaces: false}
                """);
        assertThat(p).hasSize(2);
        assertThat(p.get(1).ttl()).isEqualTo(Duration.ofHours(4));
        assertThat(p.get(1).variant("x")).isEqualTo(Shape.Variant.REWRITE_WHITESPACE);
        assertThat(p.get(0).variant("sluice-key/1;workspace-paths@1")).isEqualTo(Shape.Variant.REWRITE);
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "policies: [{name: a, colour: red}]"))
                .hasMessage("p.yaml: policies[0].colour: unknown (expected one of: name, ttl, scope, rewrite, whitespace, namespaces, busts)");
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "policies: [{name: a, scope: galaxy}]")).hasMessageContaining("scope 'galaxy'");
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "policies: [{name: a, ttl: soon}]")).hasMessageContaining("ttl 'soon'");
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "policies: [{name: a}, {name: a}]")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "policies: []")).hasMessageContaining("non-empty list");
    }
}
