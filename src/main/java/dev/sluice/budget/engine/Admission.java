package dev.sluice.budget.engine;

import dev.sluice.wire.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The budget decision for one attempt.
 *
 * @param reservation  what to settle when the attempt is over (null when refused)
 * @param model        the model to forward (the degraded one when degraded)
 * @param degradedFrom the model the route chose, when a degrade threshold replaced it; else null
 * @param standing     the tightest budget, for the response headers; null when no budget applies
 * @param block        why the request is refused, or null when admitted
 */
public record Admission(Reservation reservation, String model, String degradedFrom, BudgetStanding standing, BlockNotice block) {

    public boolean admitted() {
        return block == null;
    }

    public boolean degraded() {
        return degradedFrom != null;
    }

    /**
     * Headers for the response of an admitted request: the caller's standing in Claude Code's vocabulary and
     * {@code x-sluice-degraded-from} when degraded. For a refused one, {@link BlockNotice#headers()}.
     */
    public Map<String, String> headers() {
        return headers(null, 0);
    }

    /**
     * The headers of an admitted request whose own usage and cost are already known (a whole answer): the standing
     * then includes this request, so the caller sees where they stand after it.
     */
    public Map<String, String> headers(Usage usage, long costNanoUsd) {
        if (block != null) {
            return block.headers();
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (standing != null) {
            BudgetStanding s = usage == null ? standing : standing.plusSettled(standing.metric().of(usage, costNanoUsd));
            h.putAll(UnifiedHeaders.served(s));
        }
        if (degradedFrom != null) {
            h.put("x-sluice-degraded-from", degradedFrom);
        }
        return h;
    }
}
