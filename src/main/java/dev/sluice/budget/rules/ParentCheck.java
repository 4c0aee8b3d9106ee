package dev.sluice.budget.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds child budgets larger than a parent over the same metric and period: not an error (a team may promise a
 * developer more than a share of the org's budget), but the parent will bind first, so the operator is told.
 */
final class ParentCheck {
    private ParentCheck() {
    }

    static List<String> warnings(List<BudgetRule> rules, Hierarchy hierarchy) {
        List<String> out = new ArrayList<>();
        for (BudgetRule parent : rules) {
            for (BudgetRule child : rules) {
                if (child.level().ordinal() <= parent.level().ordinal() || child.level() == Level.TAG
                        || parent.level() == Level.TAG || !parent.period().label().equals(child.period().label())) {
                    continue;
                }
                boolean related = parent.each() || child.each()
                        || hierarchy.contains(parent.level(), parent.id(), child.level(), child.id());
                if (!related) {
                    continue;
                }
                for (Limit p : parent.limits()) {
                    for (Limit c : child.limits()) {
                        if (p.metric() == c.metric() && c.amount() > p.amount()) {
                            out.add("budget '" + child.name() + "' (" + child.describe(child.id()) + ") allows more "
                                    + c.metric().label() + " per " + child.period().label() + " than its parent '" + parent.name()
                                    + "' (" + parent.describe(parent.id()) + "): the parent will bind first");
                        }
                    }
                }
            }
        }
        return out;
    }
}
