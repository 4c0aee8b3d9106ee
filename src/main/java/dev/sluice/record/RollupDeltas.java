package dev.sluice.record;

import dev.sluice.wire.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a set of new ledger records adds to {@code spend_daily}, summed per cell so a batch writes one upsert per
 * distinct cell, not one per record.
 *
 * <h2>Why request counts stay exact</h2>
 * Every sum but one is additive: a group's tokens or dollars are the sum over the cells in it. The exception is
 * {@code requests}, a count of <em>distinct</em> request ids: a retried request has one record per attempt, and its
 * attempts can fall in different cells (another status, model, upstream key, even day). Grouping those cells
 * together must count the request once. For a request whose records fall in cells {@code C}, the number of groups
 * it counts in is, for any grouping, by inclusion–exclusion
 * <pre>
 *   [C meets the group] = Σ over non-empty S ⊆ C of (-1)^(|S|+1) · [every cell of S is in the group]
 * </pre>
 * and "every cell of S is in the group" holds exactly when the <em>meet</em> of S (the values S's cells share,
 * {@link RollupCell#meet}) is in it and shares every dimension the query groups or filters by. So each subset adds
 * ±1 to the {@code requests} of its meet's row; a query sums the rows whose differing dimensions it does not use.
 * A record alone in its request adds +1 to its own cell; a request retried once into another cell adds +1, +1 and
 * -1 (the pair's meet). When a record joins a request that already has cells {@code P}, only the subsets that
 * contain its new cell are new: {@code 2^|P|} terms (the gateway makes at most 10 attempts per request).
 */
final class RollupDeltas {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RollupDeltas.class);
    /** Index of each sum in a delta; the same order as the rollup's sum columns. */
    static final int REQUESTS = 0;
    static final int SUMS = 14;
    static final String[] SUM_COLUMNS = {"requests", "attempts", "input_tokens", "output_tokens", "cache_write_5m_tokens",
        "cache_write_1h_tokens", "cache_read_tokens", "web_search_requests", "web_fetch_requests", "cost_nano_usd",
        "provider_cache_savings_nano_usd", "gateway_cache_savings_nano_usd", "estimated_requests", "error_requests"};
    /** 2^19 meets for one record; far beyond the gateway's 10 attempts, and a bound on a hostile ledger's cost. */
    static final int MAX_CELLS_PER_REQUEST = 20;

    private final Map<RollupCell, long[]> deltas = new HashMap<>();

    /**
     * Adds one new record of a request whose earlier records fall in {@code requestCells} (updated here). The
     * caller has made sure the record is new: its (request id, attempt) is in neither the ledger nor this batch.
     */
    void add(List<RollupCell> requestCells, RollupCell cell, long[] sums) {
        long[] d = deltas.computeIfAbsent(cell, c -> new long[SUMS]);
        for (int i = 1; i < SUMS; i++) {
            d[i] = Math.addExact(d[i], sums[i]);
        }
        if (requestCells.contains(cell)) {
            return; // the request already counts in this cell, and in every meet with it
        }
        int p = requestCells.size();
        if (p + 1 > MAX_CELLS_PER_REQUEST) {
            // Cannot happen with gateway-made ids (at most 11 records a request), and throwing would stall the writer
            // for good: count the request in its new cell alone and say so (only its request count can be off).
            LOG.warn("ledger rollup: a request has more than {} distinct report cells; its request count is approximate",
                    MAX_CELLS_PER_REQUEST);
            deltas.computeIfAbsent(cell, c -> new long[SUMS])[REQUESTS] += 1;
            requestCells.add(cell);
            return;
        }
        for (int subset = 0; subset < 1 << p; subset++) {
            RollupCell meet = cell;
            for (int i = 0; i < p; i++) {
                if ((subset & 1 << i) != 0) {
                    meet = meet.meet(requestCells.get(i));
                }
            }
            long sign = Integer.bitCount(subset) % 2 == 0 ? 1 : -1;
            deltas.computeIfAbsent(meet, c -> new long[SUMS])[REQUESTS] += sign;
        }
        requestCells.add(cell);
    }

    Map<RollupCell, long[]> deltas() {
        return deltas;
    }

    int size() {
        return deltas.size();
    }

    void clear() {
        deltas.clear();
    }

    /** One record's additive sums ({@code requests} is left to {@link #add}). */
    static long[] sums(LedgerRecord r) {
        Usage u = r.usage();
        long[] s = new long[SUMS];
        s[1] = 1;
        s[2] = u.inputTokens();
        s[3] = u.outputTokens();
        s[4] = write5m(u.cacheCreationInputTokens(), u.cacheCreation5m(), u.cacheCreation1h());
        s[5] = u.cacheCreation1h();
        s[6] = u.cacheReadInputTokens();
        s[7] = u.webSearchRequests();
        s[8] = u.webFetchRequests();
        s[9] = r.costNanoUsd();
        s[10] = r.providerCacheSavingsNanoUsd();
        s[11] = r.gatewayCacheSavingsNanoUsd();
        s[12] = r.usageEstimated() ? 1 : 0;
        s[13] = r.status() >= 400 || r.errorType() != null ? 1 : 0;
        return s;
    }

    /** Billed 5-minute writes, as SpendReports has always computed them: all writes (the larger of the total and the TTL breakdown) less 1-hour writes. */
    static long write5m(long total, long fiveMinutes, long oneHour) {
        return Math.max(total, fiveMinutes + oneHour) - oneHour;
    }
}
