package dev.sluice.budget.rules;

/**
 * One amount of a budget: a budget with both USD and tokens has two limits, each counted on its own.
 *
 * @param metric what is counted
 * @param amount the 100% mark, in nano-USD or tokens
 */
public record Limit(Metric metric, long amount) {
}
