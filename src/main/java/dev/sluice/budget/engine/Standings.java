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
        boolean shared = c.role() == Charge.Role.OVERFLOW || (c.role() == Charge.Role.TOTAL && rule.level().shared());
        String contact = rule.owner() == null ? rules.contact() : rule.owner().contact();
        return new BudgetStanding(rule.name(), rule.level(), c.applied().entity(), shared, c.limit().metric(), c.amount(), s.settled(),
                s.reserved(), resets, rule.period().label(), contact, warnings(rule), Math.max(0, rule.blockPercent()) / 100.0,
                line(c.role()));
    }

    private static List<Double> warnings(BudgetRule rule) {
        List<Double> out = new ArrayList<>(rule.thresholds().size());
        for (Threshold t : rule.thresholds()) {
            if (t.action() != Action.BLOCK) {
                out.add(t.percent() / 100.0);
            }
        }
        return out;
    }

    private static String line(Charge.Role role) {
        return switch (role) {
            case TOTAL -> "budget";
            case SHARE -> "share";
            case OVERFLOW -> "overflow";
        };
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
