package dev.sluice.budget.engine;

import dev.sluice.settle.Meter;
import dev.sluice.wire.Usage;

/** What usage of a model costs, in nano-USD: the gateway's one cost function, so reservations price like bills. */
@FunctionalInterface
public interface Pricing {
    long nanoUsd(String model, Usage usage);

    static Pricing of(Meter meter) {
        return (model, usage) -> meter.cost(model, usage).nanoUsd();
    }

    /** The calibrated estimate: input at the plain input rate, the expected output. */
    default long estimate(String model, long inputTokens, long outputTokens) {
        return nanoUsd(model, Usage.of(inputTokens, outputTokens));
    }

    /**
     * The worst case: every input token at the dearest input rate (a 1-hour cache write costs twice plain input)
     * and the full {@code max_tokens} of output.
     */
    default long worst(String model, long inputTokens, long maxTokens) {
        long plain = nanoUsd(model, Usage.of(inputTokens, maxTokens));
        long written = nanoUsd(model, new Usage(0, maxTokens, inputTokens, 0, 0, inputTokens, 0, 0));
        long written5m = nanoUsd(model, new Usage(0, maxTokens, inputTokens, 0, inputTokens, 0, 0, 0));
        return Math.max(plain, Math.max(written, written5m));
    }
}
