package dev.sluice.budget.rules;

import java.util.List;

/** A budgets file or section that cannot be used; the message lists every problem, one per line. */
public final class BudgetConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public BudgetConfigException(String origin, List<String> problems) {
        super(origin + ": " + (problems.size() == 1 ? problems.getFirst() : problems.size() + " problems:\n  - "
                + String.join("\n  - ", problems)));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
