/**
 * Budget definitions: who a budget covers (org → team → user → key → tag), what it counts (USD and/or
 * tokens), over which period (a calendar day, week or month in a configured time zone, or a rolling
 * window), and what happens at each threshold (alert, degrade to a cheaper model, block).
 *
 * <p>{@link dev.sluice.budget.rules.BudgetsConfig} is the {@code budgets:} section as written in YAML;
 * {@link dev.sluice.budget.rules.BudgetRules#compile} validates it into a {@link dev.sluice.budget.rules.BudgetSet}
 * with errors that name the budget, the key and the expected value, and warnings (a child budget larger
 * than its parent) that do not stop the start. {@link dev.sluice.budget.rules.BudgetSet#applicable} answers
 * which budgets a request's identity falls under, from indexes built once, without allocation beyond the
 * answer.
 */
package dev.sluice.budget.rules;
