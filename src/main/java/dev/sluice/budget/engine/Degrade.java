package dev.sluice.budget.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the cheaper model for a degrade: the models after the current one in the chain (or, when the current one
 * is not in it, every model of the chain) that cost less than it, and from those the {@code steps}-th, or the
 * cheapest when there are fewer. Never returns a dearer model.
 */
final class Degrade {
    private static final long PROBE_TOKENS = 1_000_000;

    private Degrade() {
    }

    static String target(List<String> chain, String model, int steps, Pricing pricing) {
        if (steps <= 0 || chain.isEmpty() || model == null) {
            return null;
        }
        int at = -1;
        for (int i = 0; i < chain.size(); i++) {
            String c = chain.get(i);
            if (model.equals(c) || model.startsWith(c) || c.startsWith(model)) {
                at = i;
                break;
            }
        }
        long current = pricing.estimate(model, PROBE_TOKENS, PROBE_TOKENS);
        List<String> cheaper = new ArrayList<>();
        for (int i = at + 1; i < chain.size(); i++) {
            if (pricing.estimate(chain.get(i), PROBE_TOKENS, PROBE_TOKENS) < current) {
                cheaper.add(chain.get(i));
            }
        }
        if (cheaper.isEmpty()) {
            return null;
        }
        return cheaper.get(Math.min(steps, cheaper.size()) - 1);
    }
}
