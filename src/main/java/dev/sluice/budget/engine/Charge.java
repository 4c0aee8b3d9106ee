package dev.sluice.budget.engine;

import dev.sluice.budget.counter.LineSpec;
import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.Limit;
import dev.sluice.budget.rules.Period;

/**
 * One line a request touches: a budget limit for an entity in a period, or for a pool, a member's share or the
 * overflow.
 *
 * @param applied the budget and entity
 * @param limit   the limit this line counts
 * @param role    whole budget, member share or overflow
 * @param amount  the line's 100% mark (the budget amount, the share, or the overflow)
 * @param window  the period the line counts
 * @param spec    what the store needs
 */
record Charge(Applied applied, Limit limit, Role role, long amount, Period.Window window, LineSpec spec) {
    enum Role { TOTAL, SHARE, OVERFLOW }
}
