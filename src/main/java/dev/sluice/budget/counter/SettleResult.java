package dev.sluice.budget.counter;

import java.util.List;

/**
 * What a settle did.
 *
 * @param duplicate true when this id had been settled already: nothing changed
 * @param before    settled spend per line before this settle
 * @param after     settled spend per line after it
 */
public record SettleResult(boolean duplicate, List<Long> before, List<Long> after) {
    public SettleResult {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }
}
