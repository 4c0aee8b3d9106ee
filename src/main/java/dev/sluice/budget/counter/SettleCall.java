package dev.sluice.budget.counter;

import java.util.List;

/**
 * Settle a reservation: release what it held and add the actual amounts.
 *
 * @param lines   the lines charged (the alternative taken, not the others)
 * @param amounts the actual amount per line, same order
 */
public record SettleCall(String tenant, String id, long nowMillis, List<LineSpec> lines, List<Long> amounts) {
    public SettleCall {
        lines = List.copyOf(lines);
        amounts = List.copyOf(amounts);
        if (lines.size() != amounts.size()) {
            throw new IllegalArgumentException("lines " + lines.size() + ", amounts " + amounts.size() + " (expected: one amount per line)");
        }
    }
}
