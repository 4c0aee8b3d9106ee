package dev.sluice.budget.replay;

import java.time.Instant;

/**
 * Something a proposed budget would have done.
 *
 * @param first    when it first happened
 * @param last     when it last happened (for blocks and degrades, which repeat per request)
 * @param budget   the budget
 * @param who      whom it covers ("team pay")
 * @param kind     alert, degrade or block
 * @param detail   "75% ($750.00 of $1,000.00)", "claude-opus-4-6 → claude-sonnet-4-6", "spend limit reached ..."
 * @param requests requests affected (1 for an alert)
 */
public record DryRunEvent(Instant first, Instant last, String budget, String who, String kind, String detail, long requests) {
}
