package dev.sluice.budget.engine;

import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.pipeline.Identity;
import java.util.List;

/**
 * Budgets that do not come from the {@code budgets:} section: the monthly caps set on users and keys
 * ({@code sluice users create --monthly-cap}). The engine checks them beside the section's, the tightest deciding.
 * Must answer from memory, never block.
 */
public interface ExtraBudgets {
    ExtraBudgets NONE = new ExtraBudgets() {
        @Override
        public List<Applied> applicable(Identity who) {
            return List.of();
        }

        @Override
        public List<BudgetRule> templates() {
            return List.of();
        }
    };

    /** The extra budgets the caller falls under (none for the open-mode caller). */
    List<Applied> applicable(Identity who);

    /** One rule per kind of extra budget, for rebuilding its counters from the ledger (the amounts do not matter there). */
    List<BudgetRule> templates();
}
