package dev.sluice.budget.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Picks the cheaper model for a degrade: the models after the current one in the chain (or, when the current one
 * is not in it, every model of the chain) that cost less than it, and from those the {@code steps}-th, or the
 * cheapest when there are fewer. Never returns a dearer model, nor one the route's upstream cannot serve: a chain names
 * Claude models, and a request routed to another provider's model (gpt-4o on an OpenAI upstream) once went there as
 * {@code claude-haiku-4-5-20251001}, which that upstream refuses (round 23).
 */
final class Degrade {
    /**
     * Models are compared at the size of a typical coding-agent turn, not at a million tokens: a million input tokens
     * falls in the long-context tier of the models that have one (Sonnet 4.5 above 200k: twice the input rate), which
     * made the model most seats use look like the dearest in the table and "degraded" it to a dearer one.
     */
    private static final long PROBE_INPUT_TOKENS = 50_000;
    private static final long PROBE_OUTPUT_TOKENS = 2_000;

    private Degrade() {
    }

    static String target(List<String> chain, String model, int steps, Pricing pricing) {
        return target(chain, model, steps, pricing, m -> true);
    }

    /** @param servable whether the route's upstream serves a model (see {@code budget.DegradeTargets}) */
    static String target(List<String> chain, String model, int steps, Pricing pricing, Predicate<String> servable) {
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
        long current = pricing.estimate(model, PROBE_INPUT_TOKENS, PROBE_OUTPUT_TOKENS);
        List<String> cheaper = new ArrayList<>();
        for (int i = at + 1; i < chain.size(); i++) {
            if (servable.test(chain.get(i)) && pricing.estimate(chain.get(i), PROBE_INPUT_TOKENS, PROBE_OUTPUT_TOKENS) < current) {
                cheaper.add(chain.get(i));
            }
        }
        if (cheaper.isEmpty()) {
            return null;
        }
        return cheaper.get(Math.min(steps, cheaper.size()) - 1);
    }
}
