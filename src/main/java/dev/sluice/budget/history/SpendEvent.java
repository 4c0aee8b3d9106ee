package dev.sluice.budget.history;

import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import java.time.Instant;

/** One billed attempt as budgets see it: when, who, which model, what it used and cost. */
public record SpendEvent(Instant time, String requestId, int attempt, Identity identity, String model, Usage usage, long costNanoUsd) {
}
