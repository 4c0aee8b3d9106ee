package dev.sluice.budget;

import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.signin.usage.UsageStanding;
import java.util.List;

/**
 * Chooses, among a caller's standings, the one Claude Code's usage vocabulary shows (one cap, in dollars, over a
 * calendar day, week or month): once a budget refuses, the refusing one that resets last (that is when the caller can
 * work again); before that, the fullest. A pool member's own share is not shown (running out of it moves them to the
 * overflow, it does not stop them). Token budgets and rolling windows have no place in that vocabulary; they still
 * refuse through the budget stage and show in {@code x-sluice-budget}.
 *
 * <p>The client reads "spent ≥ limit" as "at the line", so while a budget still admits, spend is shown just under
 * its amount (a budget that blocks at 110%, or only alerts, is at 99% from 100% up), and once it refuses, at least at it.
 */
final class StandingPick {
    private StandingPick() {
    }

    static UsageStanding usage(List<BudgetStanding> standings) {
        BudgetStanding blocked = null;
        BudgetStanding fullest = null;
        for (BudgetStanding s : standings) {
            if (!s.metric().money() || !s.calendar() || "share".equals(s.line()) || s.amount() <= 0) {
                continue;
            }
            if (s.blocked()) {
                if (blocked == null || s.resetsAt().isAfter(blocked.resetsAt())) {
                    blocked = s;
                }
            } else if (fullest == null || s.utilization() > fullest.utilization()) {
                fullest = s;
            }
        }
        if (blocked != null) {
            return of(blocked, Math.max(blocked.settled(), blocked.amount()));
        }
        return fullest == null ? null : of(fullest, Math.min(fullest.settled(), fullest.amount() - 1));
    }

    private static UsageStanding of(BudgetStanding s, long shownSpend) {
        UsageStanding.Period period = switch (s.period()) {
            case "daily" -> UsageStanding.Period.DAILY;
            case "weekly" -> UsageStanding.Period.WEEKLY;
            default -> UsageStanding.Period.MONTHLY;
        };
        return UsageStanding.of(Math.max(0, shownSpend), s.amount(), period, s.resetsAt(),
                s.sharedPool() ? UsageStanding.Scope.GROUP_POOL : UsageStanding.Scope.USER);
    }
}
