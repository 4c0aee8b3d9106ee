package dev.sluice.settle;

import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import java.math.BigDecimal;

/**
 * A price's rates as whole nano-dollars per token (and per web search), for {@link Meter}'s common case: the
 * built-in rates (3, 15, 0.30, 3.75 USD per million tokens) are whole nano-dollars per token, so a cost is a sum of
 * long products, exact, with nothing to round. That is the BigDecimal formula's result to the nano-dollar, without
 * its dozen allocations per attempt. A rate with a fraction of a nano-dollar per token (an operator's multiplier can
 * make one) or a product past a long leaves the cost to the BigDecimal formula ({@code null} here).
 */
final class NanoRates {
    /** Rates looked up by the price object's identity: prices are few and long-lived (the table's, its cache's). */
    private static final int SLOTS = 64;
    private static final NanoRates[] RECENT = new NanoRates[SLOTS];

    private final Price price;
    /** Nano-USD per token: input, output, cache read, 1-hour write, 5-minute write; per request: web search. */
    private final long input;
    private final long output;
    private final long cacheRead;
    private final long write1h;
    private final long write5m;
    private final long webSearch;
    /** Nano-USD a cache-read token saves against an input token. */
    private final long readSaving;
    /** False when a rate is not a whole number of nano-dollars (or not a long): the BigDecimal formula then. */
    private final boolean whole;

    private NanoRates(Price p) {
        price = p;
        long[] r = new long[7];
        BigDecimal[] rates = {p.input(), p.output(), p.cacheRead(), p.cacheWrite1h(), p.cacheWrite5m(),
                p.webSearchPerRequest(), p.input().subtract(p.cacheRead())};
        int[] shift = {3, 3, 3, 3, 3, 9, 3};
        boolean ok = true;
        for (int i = 0; i < r.length && ok; i++) {
            try {
                r[i] = rates[i].movePointRight(shift[i]).longValueExact(); // throws on a fraction or past a long
            } catch (ArithmeticException e) {
                ok = false;
            }
        }
        input = r[0];
        output = r[1];
        cacheRead = r[2];
        write1h = r[3];
        write5m = r[4];
        webSearch = r[5];
        readSaving = r[6];
        whole = ok;
    }

    /** The rates of {@code p}, from a small identity-keyed table (a racy cache of immutable entries: safe). */
    static NanoRates of(Price p) {
        int slot = System.identityHashCode(p) & (SLOTS - 1);
        NanoRates r = RECENT[slot];
        if (r == null || r.price != p) {
            r = new NanoRates(p);
            RECENT[slot] = r;
        }
        return r;
    }

    /** The cost at a token factor of one, or null when it is not a sum of whole nano-dollars within a long. */
    Cost cost(Usage u) {
        if (!whole) {
            return null;
        }
        try {
            long nano = Math.addExact(Math.addExact(Math.addExact(Math.addExact(Math.addExact(
                    Math.multiplyExact(u.inputTokens(), input),
                    Math.multiplyExact(u.outputTokens(), output)),
                    Math.multiplyExact(u.cacheReadInputTokens(), cacheRead)),
                    Math.multiplyExact(u.cacheWrite1hTokens(), write1h)),
                    Math.multiplyExact(u.cacheWrite5mTokens(), write5m)),
                    Math.multiplyExact(u.webSearchRequests(), webSearch));
            long saved = Math.multiplyExact(u.cacheReadInputTokens(), readSaving);
            return new Cost(Math.min(nano, Meter.MAX_NANO_USD), Math.min(saved, Meter.MAX_NANO_USD), price.isDefault());
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
