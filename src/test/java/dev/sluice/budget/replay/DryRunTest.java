package dev.sluice.budget.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.history.SpendEvent;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.CliRun;
import dev.sluice.wire.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice budgets dry-run} over a real SQLite ledger: 30 days of one team's spend against a proposal. */
class DryRunTest {
    private static final String PROPOSAL = """
            budgets:
              degrade: [claude-sonnet-4-6, claude-haiku-4-5-20251001]
              list:
                - name: pay
                  level: team
                  id: pay
                  usd: 100
                  period: rolling 30d
                  thresholds: [{at: 75, action: alert}, {at: 80, action: degrade}, {at: 85, action: block}]
                - {name: search, level: team, id: search, usd: 1000, period: rolling 30d}
            """;

    @Test
    void the_replay_says_who_would_have_been_alerted_degraded_and_blocked_and_when(@TempDir Path dir) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(30));
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            Usage dollar = Usage.of(0, 66_667); // $1.00 on sonnet, $0.33 on haiku
            for (int i = 0; i < 119; i++) {
                Instant at = start.plus(Duration.ofHours(6L * i + 1));
                ledger.add(at, "k-ana", i % 2 == 0 ? "ana" : "bob", "pay", "acme", Map.of(), dollar, 1_000_005_000L);
                ledger.add(at, "k-cy", "cy", "search", "acme", Map.of(), dollar, 1_000_005_000L);
            }
            ledger.flush();
        }
        Path proposal = dir.resolve("proposed.yaml");
        Files.writeString(proposal, PROPOSAL);
        CliRun run = CliRun.of("budgets", "dry-run", "--file", proposal.toString(), "--days", "30", "--data-dir", dir.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("Replayed 238 ledger records of the last 30 days (times in UTC).");
        List<String> body = new ArrayList<>(lines.subList(2, lines.size() - 1));
        assertThat(body).hasSize(5);
        assertThat(body.get(0)).contains("pay", "team pay", "alert", "75% ($75.00 of $100.00), then alert");
        // a request degrades once it would take the budget past 80% (its own estimate counts), a little before the 80% alert
        assertThat(body.get(1)).contains("degrade", "requests: claude-sonnet-4-6 → claude-haiku-4-5-20251001");
        assertThat(body.get(2)).contains("alert", "80% ($80.00 of $100.00), then degrade");
        assertThat(body.get(3)).contains("alert", "85% ($85.00 of $100.00), then block");
        assertThat(body.get(4)).contains("block", "spend limit reached for team pay (rolling 30d $100.00)");
        assertThat(run.out()).doesNotContain("search");
        assertThat(lines.getLast()).startsWith("Spend under the proposal: $");
    }

    @Test
    void a_model_of_another_provider_is_not_degraded_to_a_claude_model_in_the_replay() {
        // round 23: the gateway no longer sends gpt-4o to its OpenAI upstream as Haiku; the replay reported it as a saving
        var rules = TestBudgets.rules("""
                degrade: [claude-sonnet-4-6, claude-haiku-4-5-20251001]
                list: [{name: pay, level: team, id: pay, usd: 10, thresholds: [{at: 1, action: degrade}, {at: 1000, action: block}]}]
                """);
        DryRun run = new DryRun(rules, TestBudgets.PRICING);
        var who = new Identity("k", "a", "ana", "pay", "acme", Map.of());
        Instant t = Instant.parse("2026-11-20T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            Usage u = Usage.of(1000, 20_000); // $0.20 on gpt-4o: past 1% from the first
            run.accept(new SpendEvent(t.plusSeconds(i), "r" + i, 1, who, "gpt-4o", u,
                    TestBudgets.PRICING.nanoUsd("gpt-4o", u)));
        }
        assertThat(run.events()).extracting(DryRunEvent::kind).doesNotContain("degrade");
        run.accept(new SpendEvent(t.plusSeconds(9), "s", 1, who, "claude-sonnet-4-6", Usage.of(10, 100),
                TestBudgets.PRICING.nanoUsd("claude-sonnet-4-6", Usage.of(10, 100))));
        assertThat(run.events()).extracting(DryRunEvent::kind).contains("degrade");
    }

    @Test
    void a_bad_proposal_is_one_clear_message() throws Exception {
        Path dir = Files.createTempDirectory("dry");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "list: [{name: x, level: galaxy, id: a, usd: -1}]");
        CliRun run = CliRun.of("budgets", "check", "--file", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("budgets.list[0] (x).level: 'galaxy' (expected one of: org, team, user, key, tag)")
                .contains("budgets.list[0] (x).usd: -1 (expected: > 0");
    }
}
