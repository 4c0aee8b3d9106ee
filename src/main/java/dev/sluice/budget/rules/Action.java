package dev.sluice.budget.rules;

import java.util.Locale;

/** What happens once a threshold is crossed. Every crossing also sends one alert. */
public enum Action {
    /** Tell the budget's owner; the request goes on. */
    ALERT,
    /** Serve the request with the next cheaper model of the degrade chain. */
    DEGRADE,
    /** Refuse with the 429 {@code billing_error} Claude Code renders. */
    BLOCK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Action parse(String text) {
        for (Action a : values()) {
            if (a.label().equals(text)) {
                return a;
            }
        }
        return null;
    }
}
