package dev.sluice.budget.counter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis counters where the common request makes no Redis call: each replica leases a slice of a line's headroom and
 * admits, reserves and settles against it in memory; near the line it falls back to the exact per-request path of
 * {@link RedisCounters}.
 *
 * <h2>How a lease keeps the bound</h2>
 * <ol>
 *   <li>A lease is stored in Redis as a reservation of this replica ({@code res:<leaseId>}, reserved 0, slack = the
 *       lease), so it is part of every line's {@code d} and every replica's {@code x = s + r + d} counts it.</li>
 *   <li>A lease grows only in a flush ({@code lease.lua}), by at most {@code 1/share} of the headroom {@code cap − x}
 *       and only when that fits one worst case: growing never takes {@code x} past the cap.</li>
 *   <li>A request is admitted from the lease only when its worst case fits in every line's room
 *       ({@code granted − in flight − settled not yet sent}): what this replica exposes never exceeds its lease, so
 *       Redis's {@code x} still covers every replica's true exposure, and {@code x < cap + w_max} holds as before.</li>
 *   <li>A settle adds the actual to the replica's unsent spend (its worst case leaves, its actual stays against the
 *       lease); the flush moves it into {@code s} and out of the lease in one step ({@code x} unchanged), once per
 *       flush number, with the settle's idempotency marker, so a settle repeated on another replica is not counted
 *       twice.</li>
 *   <li>Near the line no lease grows, unused leases shrink to what they have in flight, and requests take the exact
 *       path one by one.</li>
 * </ol>
 * A replica whose flush cannot reach Redis, or that could not renew its leases for half their time to live, stops
 * serving from them (the exact path then applies, with its fail-open or fail-closed policy); its settles wait in the
 * flush and reach Redis when it answers again; a crashed replica's leases are released when their time to
 * live passes, by the next reserve or flush of any replica.
 */
public final class LeasedCounters implements CounterStore {
    private static final Logger log = LoggerFactory.getLogger(LeasedCounters.class);
    private static final long DONE_TTL_MS = Duration.ofDays(1).toMillis();

    private final RedisCounters redis;
    private final LeaseSettings settings;
    private final LongSupplier clock;
    private final Vertx vertx;
    private final String replica = UUID.randomUUID().toString().substring(0, 13);
    private final RedisLink.Script flush = new RedisLink.Script("lease.lua");
    private final Map<String, TenantLeases> tenants = new ConcurrentHashMap<>();
    private final AtomicLong local = new AtomicLong();
    private final AtomicLong exact = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong flushFailures = new AtomicLong();
    private final Map<TenantLeases.Batch, Future<Void>> sending = new ConcurrentHashMap<>();
    private final long timer;
    private volatile boolean closing;

    /**
     * @param clock the engine's clock in epoch milliseconds (leases expire on the same clock as reservations)
     */
    public LeasedCounters(Vertx vertx, RedisCounters redis, LeaseSettings settings, LongSupplier clock) {
        this.vertx = vertx;
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
        this.timer = vertx.setPeriodic(settings.flush().toMillis(), id -> flushAll(false));
    }

    /** Requests admitted from a lease (no Redis call), and through Redis one by one. */
    public long[] admissions() {
        return new long[] {local.get(), exact.get()};
    }

    /** Flush calls sent, and those that failed (resent as they were). */
    public long[] flushes() {
        return new long[] {flushes.get(), flushFailures.get()};
    }

    @Override
    public Future<ReserveResult> reserve(ReserveCall call) {
        TenantLeases t = tenant(call.tenant());
        synchronized (t) {
            // A shared reservation (a Message Batch's hold) is taken in Redis itself, where whichever replica bills the
            // batch gives it back by its id; inside this replica's lease, that release would miss it.
            ReserveResult r = call.shared() ? null : t.tryLocal(call, call.nowMillis());
            if (r != null) {
                local.incrementAndGet();
                return Future.succeededFuture(r);
            }
        }
        exact.incrementAndGet();
        return redis.reserve(call).map(r -> {
            synchronized (t) {
                if (r.admitted() && !r.duplicate()) {
                    t.heldInRedis(call.id());
                }
                return new ReserveResult(r.admitted(), r.refusedAt(), r.refusal(), t.observe(call.lines(), r.states()), r.duplicate());
            }
        });
    }

    @Override
    public Future<SettleResult> settle(SettleCall call) {
        TenantLeases t = tenant(call.tenant());
        synchronized (t) {
            Future<SettleResult> f = t.trySettle(call);
            if (f != null) {
                return f;
            }
        }
        return redis.settle(call);
    }

    /** Redis's numbers with this replica's own spend not yet sent added: other replicas' is at most one flush behind. */
    @Override
    public Future<List<LineState>> read(String tenant, long nowMillis, List<LineSpec> lines) {
        TenantLeases t = tenant(tenant);
        return redis.read(tenant, nowMillis, lines).map(states -> {
            synchronized (t) {
                List<LineState> out = new ArrayList<>(states.size());
                for (int i = 0; i < states.size(); i++) {
                    LineState s = states.get(i);
                    LeaseLine l = t.lines.get(lines.get(i).key());
                    out.add(l == null ? s : new LineState(s.settled() + l.unsent + l.sending, s.reserved(), s.slack(), s.charged(),
                            s.resetsAtMillis()));
                }
                return out;
            }
        });
    }

    @Override
    public Future<Boolean> claim(String tenant, String token, Duration ttl) {
        return redis.claim(tenant, token, ttl);
    }

    @Override
    public Future<Map<String, Long>> readMap(String tenant, String key) {
        return redis.readMap(tenant, key);
    }

    @Override
    public Future<Boolean> writeMapOnce(String tenant, String key, Map<String, Long> values, Duration ttl) {
        return redis.writeMapOnce(tenant, key, values, ttl);
    }

    @Override
    public Future<Void> seed(String tenant, long nowMillis, LineSpec line, Map<Long, Long> perBucket) {
        return redis.seed(tenant, nowMillis, line, perBucket);
    }

    @Override
    public Future<Boolean> needsRebuild() {
        return redis.needsRebuild();
    }

    @Override
    public Future<Void> markRebuilt() {
        return redis.markRebuilt();
    }

    /** Sends what is due now, in rounds until nothing settled here waits (tests, benchmarks). */
    public Future<Void> flushNow() {
        Future<Void> f = flushAll(false);
        for (int i = 0; i < 4; i++) {
            f = f.compose(v -> pending() ? flushAll(false) : Future.succeededFuture());
        }
        return f;
    }

    /** Where this replica's lease of {@code tenant} is kept in Redis (tests). */
    public String leaseKey(String tenant) {
        return RedisCounters.prefix(tenant) + "res:" + tenant(tenant).leaseId;
    }

    private boolean pending() {
        for (TenantLeases t : tenants.values()) {
            synchronized (t) {
                if (t.out != null || t.hasUnsent()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Sends the settles not yet sent and gives every lease back but what is still in flight, waits for the answer (up
     * to the counters' timeout), then closes Redis.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        vertx.cancelTimer(timer);
        try {
            Future<Void> last = Future.succeededFuture();
            for (int i = 0; i < 3; i++) { // a flush out, then the final one, then a retry
                last = last.compose(v -> flushAll(true));
            }
            last.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("budget leases: the last flush did not complete ({}); unused leases come back after {}", e.toString(),
                    settings.ttl());
        }
        redis.close();
    }

    private TenantLeases tenant(String tenant) {
        return tenants.computeIfAbsent(tenant, k -> new TenantLeases(k, "lease-" + replica));
    }

    private Future<Void> flushAll(boolean final_) {
        long now = clock.getAsLong();
        List<Future<Void>> all = new ArrayList<>();
        for (TenantLeases t : tenants.values()) {
            TenantLeases.Batch b;
            synchronized (t) {
                b = t.out != null ? t.retry() : t.nextFlush(now, settings, final_ || closing, RedisCounters.prefix(t.tenant), DONE_TTL_MS);
            }
            if (b != null) {
                all.add(send(t, b));
            }
        }
        return Future.join(all).mapEmpty();
    }

    /** One flush call; a failure leaves the batch out, to be resent unchanged by the next tick. */
    private Future<Void> send(TenantLeases t, TenantLeases.Batch b) {
        Future<Void> out = sending.get(b);
        if (out != null) {
            return out; // still on its way
        }
        Promise<Void> started = Promise.promise();
        synchronized (t) {
            if (t.out != b) {
                return Future.succeededFuture(); // answered meanwhile: sending it again would apply its reply twice
            }
            if (sending.putIfAbsent(b, started.future()) != null) {
                return sending.get(b);
            }
        }
        flushes.incrementAndGet();
        Future<Void> f = redis.link().eval(flush, b.keys(), b.args()).<Void>map(r -> {
            long[] reply = longs(r);
            List<Runnable> complete;
            synchronized (t) {
                if (t.out != b) {
                    return null;
                }
                complete = t.answered(b, reply, settings.ttl().toMillis());
            }
            complete.forEach(Runnable::run);
            return null;
        }).onComplete(ar -> sending.remove(b)).recover(e -> {
            flushFailures.incrementAndGet();
            if (!e.getClass().getSimpleName().equals("ErrorType")) {
                synchronized (t) {
                    t.unreachable(); // the exact path, and with it the fail-open/closed policy, applies at once
                }
            }
            if (flushFailures.get() % 100 == 1) {
                log.warn("budget leases: a flush for {} failed ({}); resending it", t.tenant, e.toString(),
                        e instanceof RuntimeException && !(e.getClass().getSimpleName().equals("ErrorType")) ? e : null);
            }
            return Future.succeededFuture();
        });
        f.onComplete(ar -> started.complete());
        return started.future();
    }

    private static long[] longs(Response r) {
        long[] out = new long[r.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.get(i).toLong();
        }
        return out;
    }
}
