package dev.sluice.settle;

import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The one cost function.
 *
 * <pre>
 * cost = input·in + output·out + cache_read·read + w1h·write1h + (cache_creation − w1h)·write5m + web_search·fee
 * </pre>
 * Rates are USD per million tokens, so tokens × rate × 1000 is nano-USD. Everything is summed exactly in
 * BigDecimal and rounded once, half-even, to whole nano-USD: a per-record error under half a nano-dollar
 * that cannot accumulate, because the ledger sums the rounded integers.
 */
public final class Meter {

    private static final int NANO_PER_MILLIONTH = 3; // (1e9 nano per USD) / (1e6 tokens per rate unit)
    private static final int NANO_PER_USD = 9;
    /** The most one attempt can cost: $1,000,000, so that even many absurd records sum within a long. */
    static final long MAX_NANO_USD = 1_000_000L * 1_000_000_000L;
    private static final BigDecimal MAX_NANO = BigDecimal.valueOf(MAX_NANO_USD);

    private final PriceTable table;

    public Meter(PriceTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * What Anthropic's Message Batches charge for a token: half the standard rate, on input, output, cache writes and
     * cache reads alike. Web search is a per-request fee the batch discount does not cover.
     */
    public static final BigDecimal BATCH_TOKEN_FACTOR = new BigDecimal("0.5");

    public Cost cost(String model, Usage u) {
        return cost(model, u, BigDecimal.ONE);
    }

    /** The cost of one succeeded Message Batch request: {@link #BATCH_TOKEN_FACTOR} times the token rates. */
    public Cost batchCost(String model, Usage u) {
        return cost(model, u, BATCH_TOKEN_FACTOR);
    }

    /** The one formula; {@code tokenFactor} scales the token part exactly, before the single rounding. */
    private Cost cost(String model, Usage u, BigDecimal tokenFactor) {
        Objects.requireNonNull(u, "usage");
        Price p = table.priceFor(model).forPrompt(u.promptTokens());
        if (tokenFactor == BigDecimal.ONE) {
            Cost whole = NanoRates.of(p).cost(u);
            if (whole != null) {
                return whole;
            }
        }
        return exact(p, u, tokenFactor);
    }

    /** The formula in BigDecimal, for any rates and factor: what {@link NanoRates} must always equal. */
    static Cost exact(Price p, Usage u, BigDecimal tokenFactor) {
        BigDecimal tokenUsdMillionths = tokens(u.inputTokens()).multiply(p.input())
                .add(tokens(u.outputTokens()).multiply(p.output()))
                .add(tokens(u.cacheReadInputTokens()).multiply(p.cacheRead()))
                .add(tokens(u.cacheWrite1hTokens()).multiply(p.cacheWrite1h()))
                .add(tokens(u.cacheWrite5mTokens()).multiply(p.cacheWrite5m()))
                .multiply(tokenFactor);
        BigDecimal nano = tokenUsdMillionths.movePointRight(NANO_PER_MILLIONTH)
                .add(tokens(u.webSearchRequests()).multiply(p.webSearchPerRequest()).movePointRight(NANO_PER_USD));
        BigDecimal savings = tokens(u.cacheReadInputTokens()).multiply(p.input().subtract(p.cacheRead()))
                .multiply(tokenFactor).movePointRight(NANO_PER_MILLIONTH);
        return new Cost(toNano(nano), toNano(savings), p.isDefault());
    }

    private static BigDecimal tokens(long n) {
        return BigDecimal.valueOf(n);
    }

    /**
     * Nano-dollars, held to {@link #MAX_NANO_USD}: counts are already bounded ({@code Usage.bounded}), but an
     * operator's price is not, and a cost that does not fit must still be a large number, never an exception that
     * leaves the attempt at $0.
     */
    private static long toNano(BigDecimal value) {
        BigDecimal nano = value.setScale(0, RoundingMode.HALF_EVEN);
        return nano.compareTo(MAX_NANO) > 0 ? MAX_NANO_USD : nano.longValueExact();
    }
}
