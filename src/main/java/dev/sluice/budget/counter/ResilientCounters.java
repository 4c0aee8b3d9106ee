package dev.sluice.budget.counter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis with a policy for when it cannot be reached.
 *
 * <ul>
 *   <li>{@link Policy#FAIL_OPEN}: the call runs on local in-memory counters instead, so requests go on with this
 *       replica's view (budgets then hold per replica, not across them). That view starts from what Redis last said
 *       each line had spent (remembered from every answered reserve, bounded), not from zero: a budget exhausted
 *       before the outage stays exhausted through it. Settles made locally are queued (bounded) and replayed to Redis
 *       once it answers again; settles are idempotent, so a replay cannot double count. Each outage starts with fresh
 *       local counters, since the last one's settles are in Redis's numbers by then.</li>
 *   <li>{@link Policy#FAIL_CLOSED}: the call fails with {@link CountersUnavailable}; the engine refuses the request
 *       with the {@code fetch_error} block shape.</li>
 * </ul>
 * Either way every failure is counted ({@link #failures()}), the state change is logged at ERROR once per outage
 * and the recovery at WARN.
 */
public final class ResilientCounters implements CounterStore {
    private static final Logger log = LoggerFactory.getLogger(ResilientCounters.class);
    private static final int MAX_REPLAY = 100_000;
    private static final int MAX_REMEMBERED = 100_000;

    public enum Policy { FAIL_OPEN, FAIL_CLOSED }

    /** The counters could not be reached and the policy is fail-closed. */
    public static final class CountersUnavailable extends RuntimeException {
        CountersUnavailable(Throwable cause) {
            super("budget counters unreachable: " + cause.getMessage(), cause, false, false);
        }
    }

    private final CounterStore primary;
    private volatile MemoryCounters local;
    /** Each line's settled amount as Redis last reported it, to start an outage's local view from. */
    private final Cache<String, Long> lastSettled = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .executor(Runnable::run).build();
    /** Lines the current outage's local counters were started from {@link #lastSettled}. */
    private final Set<String> seeded = ConcurrentHashMap.newKeySet();
    private final Policy policy;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ArrayDeque<SettleCall> replay = new ArrayDeque<>();

    public ResilientCounters(CounterStore primary, MemoryCounters local, Policy policy) {
        this.primary = primary;
        this.local = local;
        this.policy = policy;
    }

    /** The store this one guards. */
    public CounterStore primary() {
        return primary;
    }

    public long failures() {
        return failures.get();
    }

    public boolean isDown() {
        return down.get();
    }

    @Override
    public Future<ReserveResult> reserve(ReserveCall call) {
        return guarded(() -> primary.reserve(call).onSuccess(r -> remember(call, r)), () -> {
            MemoryCounters here = local;
            startFromLastKnown(here, call.tenant(), call.nowMillis(), call.lines());
            return here.reserve(call);
        });
    }

    @Override
    public Future<SettleResult> settle(SettleCall call) {
        return guarded(() -> primary.settle(call), () -> {
            synchronized (replay) {
                if (replay.size() < MAX_REPLAY) {
                    replay.add(call);
                } else {
                    dropped.incrementAndGet();
                }
            }
            return local.settle(call);
        });
    }

    @Override
    public Future<List<LineState>> read(String tenant, long nowMillis, List<LineSpec> lines) {
        return guarded(() -> primary.read(tenant, nowMillis, lines).onSuccess(states -> remember(lines, states)), () -> {
            MemoryCounters here = local;
            startFromLastKnown(here, tenant, nowMillis, lines);
            return here.read(tenant, nowMillis, lines);
        });
    }

    @Override
    public Future<Boolean> claim(String tenant, String token, Duration ttl) {
        return guarded(() -> primary.claim(tenant, token, ttl), () -> local.claim(tenant, token, ttl));
    }

    @Override
    public Future<Map<String, Long>> readMap(String tenant, String key) {
        return guarded(() -> primary.readMap(tenant, key), () -> local.readMap(tenant, key));
    }

    @Override
    public Future<Boolean> writeMapOnce(String tenant, String key, Map<String, Long> values, Duration ttl) {
        return guarded(() -> primary.writeMapOnce(tenant, key, values, ttl), () -> local.writeMapOnce(tenant, key, values, ttl));
    }

    @Override
    public Future<Void> seed(String tenant, long nowMillis, LineSpec line, Map<Long, Long> perBucket) {
        return primary.seed(tenant, nowMillis, line, perBucket);
    }

    @Override
    public Future<Boolean> needsRebuild() {
        return primary.needsRebuild();
    }

    @Override
    public Future<Void> markRebuilt() {
        return primary.markRebuilt();
    }

    @Override
    public void close() {
        primary.close();
        local.close();
    }

    private <T> Future<T> guarded(Supplier<Future<T>> main, Supplier<Future<T>> fallback) {
        return main.get().transform(ar -> {
            if (ar.succeeded()) {
                if (down.compareAndSet(true, false)) {
                    log.warn("budget counters: redis is back after {} failed calls; replaying local settles", failures.get());
                    replayLocal();
                }
                return Future.succeededFuture(ar.result());
            }
            Throwable e = ar.cause();
            if (e.getClass().getSimpleName().equals("ErrorType")) {
                return Future.failedFuture(e); // Redis answered with an error: a bug, not an outage
            }
            failures.incrementAndGet();
            if (down.compareAndSet(false, true)) {
                startOutage();
                log.error("budget counters: redis unreachable ({}); policy {}: {}", e.toString(), policy,
                        policy == Policy.FAIL_OPEN ? "counting locally on this replica, budgets hold per replica until it is back"
                                : "refusing budgeted requests until it is back");
            }
            return policy == Policy.FAIL_OPEN ? fallback.get() : Future.failedFuture(new CountersUnavailable(e));
        });
    }

    /** Also from reads (the standings' refreshes), so a line that only shows up in status views is known too. */
    private void remember(List<LineSpec> lines, List<LineState> states) {
        if (policy != Policy.FAIL_OPEN) {
            return; // fail-closed never counts locally: nothing to start an outage from, no work on the request path
        }
        for (int i = 0; i < lines.size() && i < states.size(); i++) {
            lastSettled.put(lines.get(i).key(), states.get(i).settled());
        }
    }

    private void remember(ReserveCall call, ReserveResult r) {
        remember(call.lines(), r.states());
    }

    private void startOutage() {
        MemoryCounters old = local;
        local = new MemoryCounters();
        seeded.clear();
        old.close();
    }

    /** Seeds each line once per outage with its last known spend (a rolling line: in the current bucket, the safe side). */
    private void startFromLastKnown(MemoryCounters here, String tenant, long now, List<LineSpec> lines) {
        for (LineSpec spec : lines) {
            Long settled = lastSettled.getIfPresent(spec.key());
            if (settled != null && settled > 0 && seeded.add(spec.key())) {
                long bucket = spec.rolling() ? Math.floorDiv(now, spec.bucketMillis()) : 0L;
                here.seed(tenant, now, spec, Map.of(bucket, settled));
            }
        }
    }

    private void replayLocal() {
        while (true) {
            SettleCall c;
            synchronized (replay) {
                c = replay.poll();
            }
            if (c == null) {
                break;
            }
            primary.settle(c).onFailure(e -> log.warn("budget counters: replaying a local settle failed: {}", e.toString()));
        }
        if (dropped.get() > 0) {
            log.error("budget counters: {} local settles were dropped during the outage (queue full); rebuild from the ledger "
                    + "(delete sluice:b:rebuilt) to recount them", dropped.get());
        }
    }
}
