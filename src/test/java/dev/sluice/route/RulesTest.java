package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigException;
import dev.sluice.pipeline.Identity;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesTest {
    private static final String UPSTREAMS = """
            upstreams:
              - {name: main, base-url: "http://127.0.0.1:1", keys: [{alias: m1, value: x}, {alias: m2, value: y}]}
              - {name: cheap, base-url: "http://127.0.0.1:2"}
            """;
    private final RouteFixture f = new RouteFixture(UPSTREAMS + """
            routing:
              models:
                - {id: claude-sonnet-4-5-20250929, aliases: [sonnet]}
            routes:
              - name: payments-team
                match: "claude-*"
                when: {caller: {teams: [payments]}, headers: {x-task: "review*"}}
                upstream: cheap
              - name: small
                when: {input-tokens: {below: 100}}
                upstream: cheap
                model: claude-haiku-4-5
              - name: tools-and-thinking
                when: {tools: true, thinking: true}
                upstream: main
                model: claude-opus-4-5
              - name: pictures
                when: {images: true}
                upstream: main
                model: claude-opus-4-1
              - name: near-cap
                when: {budget: [warning, exhausted]}
                upstream: cheap
              - name: night
                when: {time: {from: "22:00", to: "06:00", zone: "Europe/Paris", days: [mon, tue, wed, thu, fri]}}
                upstream: cheap
              - name: rest
                upstream: main
            """);

    {
        f.clock.set(at("2026-12-01T12:00:00Z")); // a Tuesday noon: not the night rule's time
    }

    private static final Identity PAYMENTS = new Identity("k1", "ci", "u1", "payments", "o1", Map.of());

    private String rule(String model, String json, Identity who, Map<String, String> headers, BudgetSignal.Level budget) {
        Rule r = f.router().match(f.traits(model, json, who, headers, null, budget));
        return r == null ? null : r.name();
    }

    private String big(String extra) {
        return "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":10," + extra + "\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(2_000) + "\"}]}";
    }

    @Test
    void callerAndHeaderConditionsMustBothHold() {
        String body = big("");
        assertThat(rule("claude-sonnet-4-6", body, PAYMENTS, Map.of("x-task", "review-pr"), BudgetSignal.Level.OK)).isEqualTo("payments-team");
        assertThat(rule("claude-sonnet-4-6", body, PAYMENTS, Map.of("x-task", "write"), BudgetSignal.Level.OK)).isEqualTo("rest");
        assertThat(rule("claude-sonnet-4-6", body, Identity.OPEN, Map.of("x-task", "review-pr"), BudgetSignal.Level.OK)).isEqualTo("rest");
    }

    @Test
    void theEstimateIsBodyBytesOverFour() {
        String small = RouteFixture.body("claude-sonnet-4-6", "hi");
        assertThat(small.length() / 4).isLessThan(100);
        assertThat(rule("claude-sonnet-4-6", small, Identity.OPEN, Map.of(), BudgetSignal.Level.OK)).isEqualTo("small");
        assertThat(f.router().match(f.traits("claude-sonnet-4-6", small, Identity.OPEN, Map.of(), null, BudgetSignal.Level.OK))
                .targets().getFirst().target("claude-sonnet-4-6").servedModel()).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void toolsThinkingAndImagesAreSeenInTheBody() {
        String tools = "\"tools\":[{\"name\":\"Read\",\"input_schema\":{}}],";
        String thinking = "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},";
        assertThat(rule("m", big(tools + thinking), Identity.OPEN, Map.of(), BudgetSignal.Level.OK)).isEqualTo("tools-and-thinking");
        assertThat(rule("m", big(tools + "\"thinking\":{\"type\":\"disabled\"},"), Identity.OPEN, Map.of(), BudgetSignal.Level.OK))
                .isEqualTo("rest");
        assertThat(rule("m", big("\"tools\":[ ]," + thinking), Identity.OPEN, Map.of(), BudgetSignal.Level.OK)).isEqualTo("rest");
        String image = "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\" : \"image\","
                + "\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + "A".repeat(800) + "\"}}]}]}";
        assertThat(rule("m", image, Identity.OPEN, Map.of(), BudgetSignal.Level.OK)).isEqualTo("pictures");
        String quoted = big("").replace("xxxx", "say \\\"type\\\": \\\"image\\\" ");
        assertThat(rule("m", quoted, Identity.OPEN, Map.of(), BudgetSignal.Level.OK)).as("inside text").isEqualTo("rest");
    }

    @Test
    void theBudgetStandingComesFromTheHook() {
        assertThat(rule("m", big(""), Identity.OPEN, Map.of(), BudgetSignal.Level.WARNING)).isEqualTo("near-cap");
        assertThat(rule("m", big(""), Identity.OPEN, Map.of(), BudgetSignal.Level.OK)).isEqualTo("rest");
    }

    @Test
    void timeWindowsWrapPastMidnightInTheirZone() {
        TimeWindow night = TimeWindow.compile("t", new dev.sluice.config.RouteWhenConfig.TimeWindow("22:00", "06:00", "Europe/Paris",
                java.util.List.of("mon", "tue", "wed", "thu", "fri")));
        assertThat(night.contains(at("2026-11-30T23:30:00+01:00"))).as("Monday 23:30").isTrue();
        assertThat(night.contains(at("2026-12-01T05:59:00+01:00"))).as("Tuesday 05:59").isTrue();
        assertThat(night.contains(at("2026-12-01T06:00:00+01:00"))).isFalse();
        assertThat(night.contains(at("2026-11-29T23:30:00+01:00"))).as("Sunday").isFalse();
        assertThat(night.contains(at("2026-11-30T21:30:00Z"))).as("22:30 in Paris").isTrue();
        // attack round 34: the hours after midnight belong to the night that began the day before
        assertThat(night.contains(at("2026-12-05T02:00:00+01:00"))).as("Friday night, Saturday 02:00").isTrue();
        assertThat(night.contains(at("2026-11-30T02:00:00+01:00"))).as("Sunday night, Monday 02:00").isFalse();
        assertThat(night.contains(at("2026-12-05T23:00:00+01:00"))).as("Saturday 23:00").isFalse();
        // a night across the spring change (Paris: 02:00 becomes 03:00 on 2027-03-28, a Sunday; Friday night unaffected)
        assertThat(night.contains(at("2027-03-29T01:30:00+02:00"))).as("Sunday night after the change").isFalse();
        assertThat(night.contains(at("2027-03-30T01:30:00+02:00"))).as("Monday night after the change").isTrue();
    }

    @Test
    void aliasesResolveBeforeMatchingAndTheIdGoesUpstream() {
        RequestTraits alias = f.traits("sonnet", big("").replace("claude-sonnet-4-6", "sonnet"), Identity.OPEN, Map.of(), null,
                BudgetSignal.Level.OK);
        assertThat(alias.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(f.plan(alias).first().servedModel()).isEqualTo("claude-sonnet-4-5-20250929");
        RequestTraits plain = f.traits("claude-opus-4-1", big(""), Identity.OPEN, Map.of(), null, BudgetSignal.Level.OK);
        assertThat(f.plan(plain).first().servedModel()).isEqualTo("claude-opus-4-1");
        // At night the same request takes the night rule.
        f.clock.set(at("2026-12-01T23:00:00+01:00"));
        RequestTraits late = f.traits("claude-opus-4-1", big(""), Identity.OPEN, Map.of(), null, BudgetSignal.Level.OK);
        assertThat(f.router().match(late).name()).isEqualTo("night");
    }

    @Test
    void badRulesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{targets: [{upstream: main, keys: [m3]}]}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].targets[0].keys: 'm3' is not a key of upstream 'main'");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{upstream: main, when: {budget: [broke]}}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].when.budget: 'broke'");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{upstream: main, when: {time: {from: '25:00'}}}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].when.time.from: '25:00'");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{upstream: main, targets: [{upstream: cheap}]}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0]");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{targets: [{upstream: nowhere}]}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].targets[0].upstream: 'nowhere'");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{upstream: main, retry: {attempts: 50}}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].retry.attempts: '50'");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routing: {health: {failure-rate: 1.5}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routing.health.failure-rate");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routing: {models: [{id: a, aliases: [b]}, {id: b}]}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routing.models[0].aliases: 'b'");
        assertThatThrownBy(() -> new RouteFixture(UPSTREAMS + "routes: [{name: x, upstream: main}, {name: x, upstream: cheap}]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("routes[1].name: 'x'");
    }

    private static long at(String iso) {
        return ZonedDateTime.parse(iso).toInstant().toEpochMilli();
    }
}
