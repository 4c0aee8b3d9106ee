package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Metric;
import dev.sluice.signin.usage.UsageHeaders;
import dev.sluice.signin.usage.UsageStanding;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a caller's budgets Claude Code's one-cap vocabulary shows, and how. */
class StandingPickTest {
    private static final Instant DEC_1 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant NOV_23 = Instant.parse("2026-11-23T00:00:00Z");

    private static BudgetStanding s(String name, Level level, Metric metric, long amount, long settled, Instant resets, String period,
                                    double blockAt, String line) {
        return new BudgetStanding(name, level, "x", level.shared(), metric, amount, settled, 0, resets, period, "ops",
                List.of(0.75, 0.9), blockAt, line);
    }

    @Test
    void theFullestDollarBudgetOnACalendarIsShownJustUnderItsAmountWhileItAdmits() {
        UsageStanding u = StandingPick.usage(List.of(
                s("org", Level.ORG, Metric.USD, 1000, 100, DEC_1, "monthly", 1.0, "budget"),
                s("team", Level.TEAM, Metric.USD, 100, 80, NOV_23, "weekly", 1.1, "budget"),
                s("tokens", Level.USER, Metric.TOTAL_TOKENS, 100, 99, DEC_1, "monthly", 1.0, "budget"),
                s("rolling", Level.USER, Metric.USD, 100, 99, DEC_1, "rolling 7d", 1.0, "budget"),
                s("share", Level.TEAM, Metric.USD, 10, 10, DEC_1, "monthly", 1.0, "share")));
        assertThat(u.limitNanoUsd()).isEqualTo(100);
        assertThat(u.spentNanoUsd()).isEqualTo(80);
        assertThat(u.period()).isEqualTo(UsageStanding.Period.WEEKLY);
        assertThat(u.scope()).isEqualTo(UsageStanding.Scope.GROUP_POOL);
        assertThat(u.resetsAt()).isEqualTo(NOV_23);
        assertThat(u.reached()).isFalse();
    }

    @Test
    void overTheAmountButUnderA110PercentBlockItStillReadsAsAllowed() {
        UsageStanding u = StandingPick.usage(List.of(s("team", Level.TEAM, Metric.USD, 100, 105, NOV_23, "weekly", 1.1, "budget")));
        assertThat(u.reached()).isFalse();
        assertThat(UsageHeaders.served(u)).containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.99")
                .containsEntry("anthropic-ratelimit-unified-status", "allowed_warning");
        UsageStanding alertOnly = StandingPick.usage(List.of(s("t", Level.USER, Metric.USD, 100, 300, NOV_23, "weekly", 0, "budget")));
        assertThat(alertOnly.reached()).isFalse();
    }

    @Test
    void onceABudgetRefusesTheOneThatResetsLastIsShownAsReached() {
        UsageStanding u = StandingPick.usage(List.of(
                s("weekly", Level.USER, Metric.USD, 100, 100, NOV_23, "weekly", 1.0, "budget"),
                s("monthly", Level.USER, Metric.USD, 1000, 1000, DEC_1, "monthly", 1.0, "budget"),
                s("fuller-but-open", Level.TEAM, Metric.USD, 100, 99, NOV_23, "weekly", 1.0, "budget")));
        assertThat(u.reached()).isTrue();
        assertThat(u.resetsAt()).isEqualTo(DEC_1);
        assertThat(u.scope()).isEqualTo(UsageStanding.Scope.USER);
        assertThat(UsageHeaders.rejected(u, NOV_23, "ask ops").type()).isEqualTo("billing_error");
    }

    @Test
    void nothingToShowWithoutADollarBudgetOnACalendar() {
        assertThat(StandingPick.usage(List.of(s("tokens", Level.USER, Metric.TOTAL_TOKENS, 100, 10, DEC_1, "monthly", 1.0, "budget"))))
                .isNull();
        assertThat(StandingPick.usage(List.of())).isNull();
    }
}
