package dev.sluice.budget.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.Identity;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetRulesTest {
    private static BudgetSet compile(String yaml) {
        return BudgetRules.compile("budgets.yaml", BudgetRules.parse("budgets.yaml", yaml));
    }

    @Test
    void every_problem_is_named_with_its_budget_key_and_expected_value() {
        assertThatThrownBy(() -> compile("""
                time-zone: Mars/Olympus
                list:
                  - {name: "bad name!", level: team, id: pay, usd: 5}
                  - {name: a, level: tag, id: nonsense, usd: 5}
                  - {name: b, level: user, id: ana, period: fortnightly}
                  - {name: c, level: user, id: ana, usd: 5, thresholds: [{at: 90, action: alert}, {at: 80, action: block}]}
                  - {name: d, level: user, id: ana, usd: 5, thresholds: [{at: 50, action: degrade}]}
                  - {name: e, level: user, id: ana, tokens: 5, token-kind: cached}
                  - {name: f, level: user, id: ana, usd: 5, pool: {shares: {ana: 1}}}
                  - {name: a, level: user, id: bob, usd: 1}
                """))
                .isInstanceOf(BudgetConfigException.class)
                .hasMessageContaining("budgets.time-zone: 'Mars/Olympus' (expected: a zone id such as UTC or Europe/Berlin)")
                .hasMessageContaining("budgets.list[0] (bad name!).name: 'bad name!' (expected: 1-64 letters, digits, '_', '.', '-')")
                .hasMessageContaining("budgets.list[1] (a).id: 'nonsense' (expected for a tag budget: name=value")
                .hasMessageContaining("budgets.list[2] (b).usd: missing (expected: usd: AMOUNT and/or tokens: N)")
                .hasMessageContaining("budgets.list[2] (b).period: 'fortnightly' (expected: daily, weekly, monthly, or rolling")
                .hasMessageContaining("budgets.list[3] (c).thresholds: 80% (expected: percents from 1 to 1000, strictly ascending)")
                .hasMessageContaining("budgets.list[4] (d).degrade: [] (expected: a chain of at least two models")
                .hasMessageContaining("budgets.list[5] (e).token-kind: 'cached' (expected one of: input, output, total)")
                .hasMessageContaining("budgets.list[6] (f).pool: on a user budget (expected: pools on org, team or tag budgets)")
                .hasMessageContaining("budgets.list[7] (a).name: 'a' is used twice");
    }

    @Test
    void the_example_file_compiles_with_its_sinks_limits_and_queue() throws Exception {
        String text = new String(BudgetRulesTest.class.getResourceAsStream("/budget/example.yaml").readAllBytes());
        BudgetsConfig cfg = BudgetRules.parse("example.yaml", text);
        BudgetSet set = BudgetRules.compile("example.yaml", cfg);
        assertThat(set.rules()).extracting(BudgetRule::name).containsExactly("acme", "payments", "each-developer", "ci-daily", "copilot");
        assertThat(set.rule("payments").pool().overflow()).isEqualTo(700_000_000_000L);
        assertThat(set.warnings()).isEmpty();
        assertThat(dev.sluice.budget.limit.RateRule.fromConfig("example.yaml", cfg.rateLimits())).hasSize(2);
        assertThat(cfg.fairQueue().weights()).containsEntry("payments", 2);
        assertThat(dev.sluice.budget.alert.AlertSinks.fromConfig("example.yaml", cfg.alerts().sinks())).hasSize(3);
    }

    @Test
    void a_value_of_the_wrong_kind_is_named_in_the_operators_words_not_javas() {
        assertThatThrownBy(() -> BudgetRules.parseEntry("admin", "{name: a, level: user, id: x, usd: lots, period: monthly}"))
                .hasMessageContaining("key 'usd': 'lots' (expected: a number)")
                .message().doesNotContain("java.").doesNotContain("BigDecimal").doesNotContain("Cannot deserialize");
        assertThatThrownBy(() -> BudgetRules.parse("b.yaml", "list: [{name: a, level: user, id: x, usd: 1, tokens: [1]}]"))
                .hasMessageContaining("key 'list[0].tokens'")
                .message().doesNotContain("java.").doesNotContain("`");
    }

    @Test
    void amounts_and_ids_no_budget_can_hold_are_named_problems_not_a_zero_budget_or_a_500() {
        // round 23: $0.0000000001 rounded to a $0 budget that refused every request; pool shares of 1e30 threw out of the
        // nano-dollar conversion (the admin API's 500); two 9e18-token shares wrapped below a 5-token amount and passed
        assertThatThrownBy(() -> compile("""
                list:
                  - {name: tiny, level: user, id: ana, usd: 0.0000000001}
                  - {name: huge, level: user, id: ana, usd: 1e308}
                  - {name: p1, level: team, id: pay, usd: 5, pool: {shares: {ana: 1e30}}}
                  - {name: p2, level: team, id: pay, tokens: 5, pool: {shares: {ana: 9000000000000000000, bob: 9000000000000000000}}}
                  - {name: long, level: user, id: "%s", usd: 1}
                  - {name: ctl, level: tag, id: "feature=a\\u0001b", usd: 1}
                """.formatted("a".repeat(5000))))
                .isInstanceOf(BudgetConfigException.class)
                .hasMessageContaining("(tiny).usd: 0.0000000001 (expected: > 0 (at least 0.000000001) and at most 1000000000)")
                .hasMessageContaining("(huge).usd: 1E+308 (expected")
                .hasMessageContaining("(p1).pool.shares.ana: 1000000000000000000000000000000 (expected: >= 0 and at most 1000000000)")
                .hasMessageContaining("(p2).pool.shares.ana: 9000000000000000000 (expected: >= 0 and at most")
                .hasMessageContaining("(long).id: 'aaaa")
                .hasMessageContaining("... (5000 characters)' (expected: an id of at most 128 characters, or name=value of at most 321 for a tag")
                .hasMessageContaining("(ctl).id: 'feature=a?b'")
                .message().doesNotContain("a".repeat(100)).doesNotContain("0".repeat(100));
    }

    @Test
    void unknown_keys_are_refused_by_name() {
        assertThatThrownBy(() -> BudgetRules.parse("b.yaml", "list: [{name: a, level: user, id: x, usd: 1, colour: red}]"))
                .hasMessageContaining("colour");
    }

    @Test
    void a_child_larger_than_its_parent_is_a_warning_not_an_error() {
        BudgetSet set = BudgetRules.compile("b.yaml", BudgetRules.parse("b.yaml", """
                list:
                  - {name: team, level: team, id: pay, usd: 100}
                  - {name: each-user, level: user, id: "*", usd: 150}
                  - {name: ana, level: user, id: ana, usd: 500}
                  - {name: bob-daily, level: user, id: bob, usd: 500, period: daily}
                """), (pl, pid, cl, cid) -> pid.equals("pay") && cid.equals("ana"));
        List<String> parents = set.warnings().stream().filter(w -> w.contains("than its parent")).toList();
        assertThat(parents).hasSize(2);
        assertThat(parents.getFirst()).isEqualTo("budget 'each-user' (user *) allows more usd per monthly than its parent 'team' "
                + "(team pay): the parent will bind first");
        assertThat(parents.get(1)).contains("'ana'");
    }

    @Test
    void alert_thresholds_no_sink_receives_are_one_warning_naming_the_budgets() {
        BudgetSet none = compile("""
                list:
                  - {name: pay, level: team, id: pay, usd: 100, thresholds: [{at: 50, action: alert}, {at: 100, action: block}]}
                  - {name: ana, level: user, id: ana, usd: 5}
                  - {name: ci, level: user, id: ci, usd: 5, thresholds: [{at: 100, action: block}]}
                """);
        assertThat(none.warnings()).singleElement().asString().startsWith("budgets 'pay', 'ana' have alert thresholds that no"
                + " alert sink receives").contains("budgets.alerts.sinks").doesNotContain("'ci'");
        BudgetSet heard = compile("""
                alerts:
                  sinks: [{name: ops, kind: webhook, url: "https://hooks.example.com/x"}]
                list:
                  - {name: pay, level: team, id: pay, usd: 100, thresholds: [{at: 50, action: alert}, {at: 100, action: block}]}
                """);
        assertThat(heard.warnings()).isEmpty();
    }

    @Test
    void defaults_are_75_90_alert_and_100_block_and_can_be_changed() {
        BudgetRule r = compile("list: [{name: a, level: user, id: ana, usd: 1}]").rules().getFirst();
        assertThat(r.thresholds()).containsExactly(new Threshold(75, Action.ALERT), new Threshold(90, Action.ALERT), new Threshold(100, Action.BLOCK));
        BudgetRule custom = compile("default-thresholds: [80, 95, 110]\nlist: [{name: a, level: user, id: ana, usd: 1}]").rules().getFirst();
        assertThat(custom.blockPercent()).isEqualTo(110);
        assertThat(new Threshold(110, Action.BLOCK).lineOf(1_000_000_000L)).isEqualTo(1_100_000_000L);
    }

    @Test
    void calendar_periods_follow_the_configured_time_zone_and_rolling_windows_slide() {
        BudgetSet set = compile("""
                time-zone: America/New_York
                list:
                  - {name: d, level: user, id: a, usd: 1, period: daily}
                  - {name: w, level: user, id: a, usd: 1, period: weekly}
                  - {name: m, level: user, id: a, usd: 1, period: monthly}
                  - {name: r, level: user, id: a, usd: 1, period: rolling 7d}
                """);
        Instant t = Instant.parse("2026-11-01T03:00:00Z"); // still Oct 31 in New York
        Period.Window day = set.rule("d").period().window(t);
        assertThat(day.id()).isEqualTo("2026-10-31");
        assertThat(day.start()).isEqualTo(Instant.parse("2026-10-31T04:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
        assertThat(set.rule("w").period().window(t).start()).isEqualTo(Instant.parse("2026-10-26T04:00:00Z")); // Monday
        Period.Window month = set.rule("m").period().window(t);
        assertThat(month.id()).isEqualTo("2026-10");
        assertThat(month.end()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
        Period.Window rolling = set.rule("r").period().window(t);
        assertThat(rolling.length().toDays()).isEqualTo(7);
        assertThat(set.rule("r").period().label()).isEqualTo("rolling 7d");
        assertThat(set.zone()).isEqualTo(ZoneId.of("America/New_York"));
    }

    /** Attack round 34 (time): periods at their edges. */
    @Test
    void periods_at_daylight_saving_changes_leap_days_and_year_ends() {
        BudgetSet set = compile("""
                time-zone: America/New_York
                list:
                  - {name: d, level: user, id: a, usd: 1, period: daily}
                  - {name: w, level: user, id: a, usd: 1, period: weekly}
                  - {name: m, level: user, id: a, usd: 1, period: monthly}
                  - {name: r, level: user, id: a, usd: 1, period: rolling 90m}
                  - {name: h, level: user, id: a, usd: 1, period: rolling 36h}
                """);
        // New York falls back on 2026-11-01: that day is 25 hours long
        Period.Window fallBack = set.rule("d").period().window(Instant.parse("2026-11-01T12:00:00Z"));
        assertThat(fallBack.length()).isEqualTo(java.time.Duration.ofHours(25));
        assertThat(fallBack.id()).isEqualTo("2026-11-01");
        // and springs forward on 2027-03-14: 23 hours
        assertThat(set.rule("d").period().window(Instant.parse("2027-03-14T12:00:00Z")).length()).isEqualTo(java.time.Duration.ofHours(23));
        // February of a leap year ends after the 29th
        Period.Window feb = set.rule("m").period().window(Instant.parse("2028-02-29T23:00:00Z"));
        assertThat(feb.id()).isEqualTo("2028-02");
        assertThat(feb.end()).isEqualTo(Instant.parse("2028-03-01T05:00:00Z"));
        // the week of New Year's Eve 2026 starts Monday Dec 28 and is ISO week 53 of 2026, distinct from 2027's first
        Period.Window nye = set.rule("w").period().window(Instant.parse("2027-01-01T12:00:00Z"));
        assertThat(nye.start()).isEqualTo(Instant.parse("2026-12-28T05:00:00Z"));
        assertThat(nye.id()).isEqualTo("2026-W53");
        assertThat(set.rule("w").period().window(Instant.parse("2027-01-04T12:00:00Z")).id()).isEqualTo("2027-W1");
        // a rolling window's label says its length: 90 minutes read "rolling 1h", in the messages and headers at the line
        assertThat(set.rule("r").period().label()).isEqualTo("rolling 90m");
        assertThat(set.rule("h").period().label()).isEqualTo("rolling 36h");
        // the counters' identity keeps the old spelling, so an upgrade does not seed a running budget a second time
        assertThat(dev.sluice.budget.engine.CounterRebuild.countingIdentity(set.rule("r"))).contains("|rolling 1h");
    }

    @Test
    void applicable_finds_every_level_including_tags_and_templates() {
        BudgetSet set = compile("""
                list:
                  - {name: org, level: org, id: acme, usd: 1000}
                  - {name: teams, level: team, id: "*", usd: 100}
                  - {name: ana, level: user, id: ana, usd: 10}
                  - {name: key, level: key, id: k1, usd: 5}
                  - {name: repo, level: tag, id: "repo=payments", usd: 50}
                  - {name: features, level: tag, id: "feature=*", usd: 20}
                  - {name: other-team, level: team, id: search, usd: 100}
                """);
        Identity who = new Identity("k1", "laptop", "ana", "pay", "acme", Map.of("repo", "payments", "feature", "checkout"));
        assertThat(set.applicable(who)).extracting(a -> a.rule().name() + ":" + a.entity())
                .containsExactlyInAnyOrder("org:acme", "teams:pay", "ana:ana", "key:k1", "features:checkout", "repo:payments");
        assertThat(set.applicable(Identity.OPEN)).isEmpty();
    }
}
