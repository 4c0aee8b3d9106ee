package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LineSpec;
import dev.sluice.budget.counter.LineState;
import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Limit;
import dev.sluice.budget.rules.Period;
import dev.sluice.budget.rules.PoolRule;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mid-period rebalance of pools (rule 4 of {@link PoolRule}). Once a pool's period passes its rebalance point,
 * the first request that sees it starts the rebalance in the background: it reads each listed member's share line,
 * computes what they keep, and stores the new shares and overflow with write-once semantics, so every replica
 * adopts the same result. Requests never wait for it; until it is stored they use the configured shares.
 */
final class PoolRebalancer {
    static final String OVERFLOW = "~overflow";
    private static final Logger log = LoggerFactory.getLogger(PoolRebalancer.class);

    private final CounterStore store;
    /** Shares adopted, and rebalances started, per pool, member set and window; forgotten once their window ends. */
    private final Map<String, Adopted> adopted = new ConcurrentHashMap<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    private record Adopted(Map<String, Long> shares, long endMillis) {
    }

    PoolRebalancer(CounterStore store) {
        this.store = store;
    }

    /** Rebalanced shares for the pools among {@code applied}, keyed {@code rule|entity}; empty until a rebalance is stored. */
    Map<String, Map<String, Long>> shares(String tenant, List<Applied> applied, Instant now) {
        Map<String, Map<String, Long>> out = null;
        for (Applied ap : applied) {
            PoolRule pool = ap.rule().pool();
            if (pool == null || pool.rebalanceAtPercent() <= 0) {
                continue;
            }
            Period.Window w = ap.rule().period().window(now);
            Instant point = w.start().plusMillis(w.length().toMillis() * pool.rebalanceAtPercent() / 100);
            if (now.isBefore(point)) {
                continue;
            }
            String id = mapKey(ap, w);
            Adopted m = adopted.get(id);
            if (m == null) {
                if (started.putIfAbsent(id, w.end().toEpochMilli()) == null) {
                    forgetEnded(now.toEpochMilli());
                    rebalance(tenant, ap, w, now).onFailure(e -> {
                        started.remove(id);
                        log.warn("budget '{}': pool rebalance for {} failed, will retry: {}", ap.rule().name(), ap.entity(), e.toString());
                    });
                }
                continue;
            }
            if (out == null) {
                out = new HashMap<>();
            }
            out.put(ap.rule().name() + "|" + ap.entity(), m.shares());
        }
        return out == null ? Map.of() : out;
    }

    /** Computes and stores (once, across replicas) the new shares; then adopts whatever is stored. */
    Future<Map<String, Long>> rebalance(String tenant, Applied ap, Period.Window w, Instant now) {
        BudgetRule rule = ap.rule();
        PoolRule pool = rule.pool();
        Limit limit = rule.limits().getFirst();
        String base = LinePlan.key(tenant, ap, limit, w);
        List<String> members = new ArrayList<>(pool.shares().keySet());
        List<LineSpec> specs = new ArrayList<>();
        for (String m : members) {
            specs.add(new LineSpec(base + ":m:" + CounterKeys.part(m), -1, 0, 0, 0, 0, 1, 0));
        }
        double elapsed = Math.min(1.0, (double) Duration.between(w.start(), now).toMillis() / w.length().toMillis());
        String id = mapKey(ap, w);
        Duration keep = Duration.between(now, w.end()).plusDays(1);
        return store.read(tenant, now.toEpochMilli(), specs).compose(states -> {
            Map<String, Long> next = new HashMap<>();
            long freed = 0;
            for (int i = 0; i < members.size(); i++) {
                long share = pool.shares().get(members.get(i));
                LineState s = states.get(i);
                long kept = PoolRule.keptShare(share, s.settled() + s.reserved(), elapsed);
                next.put(members.get(i), kept);
                freed += share - kept;
            }
            next.put(OVERFLOW, pool.overflow() + freed);
            return store.writeMapOnce(tenant, id, next, keep);
        }).compose(wrote -> store.readMap(tenant, id)).map(stored -> {
            if (!stored.isEmpty()) {
                adopted.put(id, new Adopted(Map.copyOf(stored), w.end().toEpochMilli()));
                log.info("budget '{}': pool for {} rebalanced at {}: {}", rule.name(), ap.entity(), now, stored);
            }
            return stored;
        });
    }

    /** Pools and windows held, adopted or started (for tests). */
    int held() {
        return adopted.size() + started.size();
    }

    /** Every window (a day, a month) left an entry per pool member set for good; a new window's first use sweeps them. */
    private void forgetEnded(long nowMillis) {
        adopted.values().removeIf(a -> a.endMillis() <= nowMillis);
        started.values().removeIf(end -> end <= nowMillis);
    }

    private static String mapKey(Applied ap, Period.Window w) {
        return "pool:" + ap.rule().name() + ":" + CounterKeys.part(ap.entity()) + ":" + w.id();
    }
}
