package dev.sluice.cache;

import dev.sluice.pipeline.Cost;
import dev.sluice.settle.Meter;
import dev.sluice.wire.Usage;

/**
 * What a gateway cache hit saved, for the ledger to record apart from the provider's own cache reads:
 * the tokens the original request used and what they cost, at the served model's current prices. The
 * provider's prompt cache already discounted the original's cache reads; a hit saves the whole of
 * what was paid.
 *
 * @param tokens  the original request's usage
 * @param nanoUsd what it cost, in nano-USD
 * @param model   the model it was priced as
 */
public record HitSavings(Usage tokens, long nanoUsd, String model) {
    public static HitSavings of(Meter meter, String model, Usage original) {
        Cost cost = meter.cost(model, original);
        return new HitSavings(original, cost.nanoUsd(), model);
    }

    public java.math.BigDecimal usd() {
        return java.math.BigDecimal.valueOf(nanoUsd, 9);
    }
}
