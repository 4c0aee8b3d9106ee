package dev.sluice.budget.rules;

/**
 * A budget as it applies to one request: the rule and the entity it is counted for (the team id of the caller
 * for a {@code team: *} budget, the tag value for a tag budget).
 */
public record Applied(BudgetRule rule, String entity) {
}
