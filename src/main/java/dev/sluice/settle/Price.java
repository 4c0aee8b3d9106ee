package dev.sluice.settle;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one model costs, in USD per million tokens (web search in USD per request).
 *
 * <p>{@code model} is the price-table key that matched, or the normalised id when nothing matched and the
 * table's default applied ({@code isDefault}). Some models bill every token at a higher tier once a
 * prompt passes a size: {@code longContext} holds that tier and {@code longContextAbovePromptTokens} the
 * threshold (0 and null when the model has no such tier).
 */
public record Price(String model, BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m,
                    BigDecimal cacheWrite1h, BigDecimal cacheRead, BigDecimal webSearchPerRequest, boolean isDefault,
                    long longContextAbovePromptTokens, Price longContext) {

    public Price {
        Objects.requireNonNull(model, "model");
        requireRate("input", input);
        requireRate("output", output);
        requireRate("cacheWrite5m", cacheWrite5m);
        requireRate("cacheWrite1h", cacheWrite1h);
        requireRate("cacheRead", cacheRead);
        requireRate("webSearchPerRequest", webSearchPerRequest);
        if (longContext != null && longContextAbovePromptTokens <= 0) {
            throw new IllegalArgumentException("longContextAbovePromptTokens: " + longContextAbovePromptTokens
                    + " (expected: > 0 when a long-context tier is given)");
        }
    }

    /** A price without a long-context tier. */
    public Price(String model, BigDecimal input, BigDecimal output, BigDecimal cacheWrite5m, BigDecimal cacheWrite1h,
                 BigDecimal cacheRead, BigDecimal webSearchPerRequest, boolean isDefault) {
        this(model, input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearchPerRequest, isDefault, 0, null);
    }

    /** The tier that applies to a prompt of {@code promptTokens} (input + cache writes + cache reads). */
    public Price forPrompt(long promptTokens) {
        return longContext != null && promptTokens > longContextAbovePromptTokens ? longContext : this;
    }

    /** Every rate times {@code factor}, for the operator's multiplier (a discount, a markup, a currency). */
    Price times(BigDecimal factor) {
        return new Price(model, input.multiply(factor), output.multiply(factor), cacheWrite5m.multiply(factor),
                cacheWrite1h.multiply(factor), cacheRead.multiply(factor), webSearchPerRequest.multiply(factor),
                isDefault, longContextAbovePromptTokens, longContext == null ? null : longContext.times(factor));
    }

    /** The same rates under another name, flagged as the default price. */
    Price asDefaultFor(String modelId) {
        return new Price(modelId, input, output, cacheWrite5m, cacheWrite1h, cacheRead, webSearchPerRequest, true,
                longContextAbovePromptTokens, longContext == null ? null : longContext.asDefaultFor(modelId));
    }

    private static void requireRate(String name, BigDecimal rate) {
        Objects.requireNonNull(rate, name);
        if (rate.signum() < 0) {
            throw new IllegalArgumentException(name + ": " + rate.toPlainString() + " (expected: >= 0)");
        }
    }
}
