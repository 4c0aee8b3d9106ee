package dev.sluice.budget.rules;

import dev.sluice.wire.Usage;

/** What a budget line counts. Money is integer nano-USD, tokens are tokens. */
public enum Metric {
    USD("usd"), INPUT_TOKENS("input tokens"), OUTPUT_TOKENS("output tokens"), TOTAL_TOKENS("tokens");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean money() {
        return this == USD;
    }

    /** The amount one settled attempt adds to this metric. */
    public long of(Usage u, long costNanoUsd) {
        return switch (this) {
            case USD -> costNanoUsd;
            case INPUT_TOKENS -> u.promptTokens();
            case OUTPUT_TOKENS -> u.outputTokens();
            case TOTAL_TOKENS -> u.totalTokens();
        };
    }
}
