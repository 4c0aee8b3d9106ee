package dev.sluice.budget.counter;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Where budget lines live. Calls never block the caller's thread; results arrive on the returned future. */
public interface CounterStore extends AutoCloseable {

    Future<ReserveResult> reserve(ReserveCall call);

    /** Releases the reservation (if still held) and adds the amounts, once per id. */
    Future<SettleResult> settle(SettleCall call);

    /** Current numbers of lines, without changing them (status, forecasts). */
    Future<List<LineState>> read(String tenant, long nowMillis, List<LineSpec> lines);

    /** True the first time {@code token} is claimed within {@code ttl}, on every replica: alert dedup, rebalance once. */
    Future<Boolean> claim(String tenant, String token, Duration ttl);

    /** Values stored under a small hash (pool shares after a rebalance); empty when absent. */
    Future<Map<String, Long>> readMap(String tenant, String key);

    /** Stores the values unless the hash already exists; true when this call stored them. */
    Future<Boolean> writeMapOnce(String tenant, String key, Map<String, Long> values, Duration ttl);

    /**
     * Adds rebuilt settled spend to a line: {@code perBucket} maps a rolling bucket index (or 0 for a calendar
     * period) to its amount.
     */
    Future<Void> seed(String tenant, long nowMillis, LineSpec line, Map<Long, Long> perBucket);

    /** True when the store holds no rebuilt state (a new or flushed Redis): the caller rebuilds from the ledger. */
    Future<Boolean> needsRebuild();

    /** Marks the store as rebuilt. */
    Future<Void> markRebuilt();

    @Override
    void close();
}
