package dev.sluice.budget.engine;

import dev.sluice.budget.counter.LineState;
import dev.sluice.budget.rules.Action;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.Period;
import dev.sluice.budget.rules.Threshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns lines and their numbers into standings; "the tightest decides" is the highest share of its amount used. */
final class Standings {
    private Standings() {
    }

    static BudgetStanding of(Charge c, LineState s, Instant now, BudgetSet rules) {
        BudgetRule rule = c.applied().rule();
        Instant resets = c.window().end();
        if (rule.period() instanceof Period.Rolling r) {
            resets = s.resetsAtMillis() > 0 ? Instant.ofEpochMilli(s.resetsAtMillis()) : now.plusMillis(r.bucketMillis());
        }
        double pct = 100.0 * s.settled() / Math.max(1, c.amount());
        double warn = 0;
        for (Threshold t : rule.thresholds()) {
            if (t.action() != Action.BLOCK && pct >= t.percent()) {
                warn = t.percent() / 100.0;
            }
        }
        boolean shared = c.role() == Charge.Role.OVERFLOW || (c.role() == Charge.Role.TOTAL && rule.level().shared());
        String contact = rule.owner() == null ? rules.contact() : rule.owner().contact();
        return new BudgetStanding(rule.name(), rule.level(), c.applied().entity(), shared, c.limit().metric(), c.amount(), s.settled(),
                s.reserved(), resets, rule.period().label(), contact, warn);
    }

    /** The standing of the line with the highest utilization among whole budgets and the pool lines charged. */
    static BudgetStanding tightest(List<Charge> plan, List<LineState> states, Instant now, BudgetSet rules) {
        BudgetStanding best = null;
        for (int i = 0; i < plan.size(); i++) {
            Charge c = plan.get(i);
            if (c.role() != Charge.Role.TOTAL && !states.get(i).charged()) {
                continue;
            }
            BudgetStanding s = of(c, states.get(i), now, rules);
            if (best == null || s.utilization() > best.utilization()) {
                best = s;
            }
        }
        return best;
    }

    static List<BudgetStanding> all(List<Charge> plan, List<LineState> states, Instant now, BudgetSet rules) {
        List<BudgetStanding> out = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            out.add(of(plan.get(i), states.get(i), now, rules));
        }
        return out;
    }
}
