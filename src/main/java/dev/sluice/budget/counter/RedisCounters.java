package dev.sluice.budget.counter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counters in Redis, shared by every replica. A reserve is one Lua script run atomically by Redis (see the package
 * documentation for the rule); settles that arrive while others are on their way go together in one script call,
 * each applied as if alone ({@link SettleBatcher}). Every key of a call carries the same {@code {tenant}} hash tag, so
 * on Redis Cluster one call's keys live in one slot; the scripts also derive the keys of abandoned reservations
 * from a prefix inside that tag.
 *
 * <pre>
 * sluice:b:{tenant}:l:...         a line (hash: s, r, d[, lo, b&lt;index&gt;])
 * sluice:b:{tenant}:inflight      reservations by deadline (sorted set)
 * sluice:b:{tenant}:res:&lt;id&gt;      one reservation: line key → "reserved:slack"
 * sluice:b:{tenant}:done:&lt;id&gt;     settled marker, kept a day
 * sluice:b:{tenant}:claim:&lt;token&gt; once-only tokens (alerts, rebalances)
 * sluice:b:rebuilt                set once the counters were rebuilt from the ledger
 * </pre>
 */
public final class RedisCounters implements CounterStore {
    private static final long DONE_TTL_MS = Duration.ofDays(1).toMillis();
    private static final String REBUILT = "sluice:b:rebuilt";
    private static final String REBUILDING = "sluice:b:rebuilding";

    private final RedisLink link;
    private final long timeoutMillis;
    private final SettleBatcher settles;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final RedisLink.Script reserve = new RedisLink.Script("reserve.lua");
    private final RedisLink.Script settle = new RedisLink.Script("settle.lua");
    private final RedisLink.Script read = new RedisLink.Script("read.lua");
    private final RedisLink.Script seed = new RedisLink.Script("seed.lua");
    private final RedisLink.Script writeOnce = new RedisLink.Script("write-once.lua");

    /** Settles gathered while a batch is out, at most {@link SettleBatcher#MAX_BATCH} per call, no window. */
    public RedisCounters(Vertx vertx, String url, Duration timeout) {
        this(vertx, url, timeout, Duration.ZERO, SettleBatcher.MAX_BATCH);
    }

    /**
     * @param settleWindow how long a settle may wait to share a script call (zero: only while a batch is out)
     * @param settleBatch  the most settles per script call, 1 to 32 (1: each alone, as before batching)
     */
    public RedisCounters(Vertx vertx, String url, Duration timeout, Duration settleWindow, int settleBatch) {
        this.link = new RedisLink(vertx, url, timeout);
        this.timeoutMillis = timeout.toMillis();
        this.settles = new SettleBatcher(vertx, settleWindow.toMillis(), settleBatch, timeout.toMillis(), this::settleAll);
    }

    /** Connects and loads the scripts before the first request (blocking, at most {@code patience}). */
    public RedisCounters warmUp(Duration patience) {
        link.warmUp(patience, reserve, settle, read, seed, writeOnce);
        return this;
    }

    /** The connection, for {@link LeasedCounters}' flush script. */
    RedisLink link() {
        return link;
    }

    /** {@code sluice:b:{tenant}:}: every key of a tenant starts with it. */
    public static String prefix(String tenant) {
        return "sluice:b:{" + tenant + "}:";
    }

    @Override
    public Future<ReserveResult> reserve(ReserveCall call) {
        String p = prefix(call.tenant());
        List<String> keys = new ArrayList<>(call.lines().size() + 3);
        keys.add(p + "inflight");
        keys.add(p + "res:" + call.id());
        keys.add(p + "done:" + call.id());
        List<String> args = new ArrayList<>(4 + call.lines().size() * 7);
        args.add(Long.toString(call.nowMillis()));
        args.add(Long.toString(call.ttlMillis()));
        args.add(call.id());
        args.add(p + "res:");
        for (LineSpec l : call.lines()) {
            keys.add(l.key());
            args.add(Integer.toString(l.group()));
            args.add(Long.toString(l.cap()));
            args.add(Long.toString(l.estimate()));
            args.add(Long.toString(l.worst()));
            args.add(Long.toString(l.bucketMillis()));
            args.add(Integer.toString(l.buckets()));
            args.add(Long.toString(l.ttlMillis()));
        }
        return link.eval(reserve, keys, args).map(r -> {
            int status = r.get(0).toInteger();
            int at = r.get(1).toInteger();
            int why = r.get(2).toInteger();
            List<LineState> states = states(r, 3, call.lines().size());
            return new ReserveResult(status != 0, at, why == 1 ? Refusal.EXHAUSTED : why == 2 ? Refusal.IN_FLIGHT : null, states,
                    status == 2);
        });
    }

    /** Goes at once, or with the others gathered while a batch is out ({@link SettleBatcher}). */
    @Override
    public Future<SettleResult> settle(SettleCall call) {
        return settles.add(call);
    }

    /** One tenant's settles in one script call, each applied as if alone, in order. */
    private Future<List<SettleResult>> settleAll(List<SettleCall> calls) {
        String p = prefix(calls.getFirst().tenant());
        List<String> keys = new ArrayList<>();
        keys.add(p + "inflight");
        List<String> args = new ArrayList<>();
        args.add(Long.toString(DONE_TTL_MS));
        args.add(Integer.toString(calls.size()));
        for (SettleCall call : calls) {
            keys.add(p + "res:" + call.id());
            keys.add(p + "done:" + call.id());
            args.add(call.id());
            args.add(Long.toString(call.nowMillis()));
            args.add(Integer.toString(call.lines().size()));
            for (int i = 0; i < call.lines().size(); i++) {
                LineSpec l = call.lines().get(i);
                keys.add(l.key());
                args.add(Long.toString(call.amounts().get(i)));
                args.add(Long.toString(l.bucketMillis()));
                args.add(Integer.toString(l.buckets()));
                args.add(Long.toString(l.ttlMillis()));
            }
        }
        return link.eval(settle, keys, args).map(all -> {
            List<SettleResult> out = new ArrayList<>(calls.size());
            for (int c = 0; c < calls.size(); c++) {
                Response r = all.get(c);
                int n = calls.get(c).lines().size();
                List<Long> before = new ArrayList<>(n);
                List<Long> after = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    before.add(r.get(1 + 2 * i).toLong());
                    after.add(r.get(2 + 2 * i).toLong());
                }
                out.add(new SettleResult(r.get(0).toInteger() == 0, before, after));
            }
            return out;
        });
    }

    @Override
    public Future<List<LineState>> read(String tenant, long nowMillis, List<LineSpec> lines) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(nowMillis));
        for (LineSpec l : lines) {
            keys.add(l.key());
            args.add(Long.toString(l.bucketMillis()));
            args.add(Integer.toString(l.buckets()));
        }
        return link.eval(read, keys, args).map(r -> states(r, 0, lines.size()));
    }

    @Override
    public Future<Boolean> claim(String tenant, String token, Duration ttl) {
        return link.send(Request.cmd(Command.SET).arg(prefix(tenant) + "claim:" + token).arg("1").arg("NX").arg("PX")
                .arg(Math.max(1, ttl.toMillis()))).map(r -> r != null && "OK".equals(r.toString()));
    }

    @Override
    public Future<Map<String, Long>> readMap(String tenant, String key) {
        return link.send(Request.cmd(Command.HGETALL).arg(prefix(tenant) + key)).map(r -> {
            Map<String, Long> out = new HashMap<>();
            if (r != null) {
                for (String k : r.getKeys()) {
                    out.put(k, r.get(k).toLong());
                }
            }
            return out;
        });
    }

    @Override
    public Future<Boolean> writeMapOnce(String tenant, String key, Map<String, Long> values, Duration ttl) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(Math.max(1, ttl.toMillis())));
        values.forEach((k, v) -> {
            args.add(k);
            args.add(Long.toString(v));
        });
        return link.eval(writeOnce, List.of(prefix(tenant) + key), args).map(r -> r.toInteger() == 1);
    }

    @Override
    public Future<Void> seed(String tenant, long nowMillis, LineSpec line, Map<Long, Long> perBucket) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(nowMillis));
        args.add(Long.toString(line.bucketMillis()));
        args.add(Integer.toString(line.buckets()));
        args.add(Long.toString(line.ttlMillis()));
        perBucket.forEach((b, v) -> {
            args.add(Long.toString(b));
            args.add(Long.toString(v));
        });
        return link.eval(seed, List.of(line.key()), args).mapEmpty();
    }

    /** True when no replica has rebuilt since Redis was last empty, and this caller won the right to rebuild now. */
    @Override
    public Future<Boolean> needsRebuild() {
        return link.send(Request.cmd(Command.EXISTS).arg(REBUILT)).compose(r -> {
            if (r.toInteger() == 1) {
                return Future.succeededFuture(false);
            }
            return link.send(Request.cmd(Command.SET).arg(REBUILDING).arg("1").arg("NX").arg("PX").arg(300_000))
                    .map(ok -> ok != null && "OK".equals(ok.toString()));
        });
    }

    @Override
    public Future<Void> markRebuilt() {
        return link.send(Request.cmd(Command.SET).arg(REBUILT).arg(Long.toString(System.currentTimeMillis())))
                .compose(r -> link.send(Request.cmd(Command.DEL).arg(REBUILDING))).mapEmpty();
    }

    /**
     * Sends the settles still waiting, then closes the connection once they are answered (or after the timeout).
     * Off an event loop this waits for that; on one it closes when they are answered, without blocking the loop.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Future<Void> drained;
        try {
            drained = settles.drain();
        } catch (RuntimeException e) { // Vert.x already closed: nothing more can be sent
            drained = Future.succeededFuture();
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        drained.onComplete(ar -> {
            link.close();
            closed.complete(null);
        });
        if (!Context.isOnEventLoopThread()) {
            try {
                closed.get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                link.close();
            }
        }
    }

    private static List<LineState> states(Response r, int from, int n) {
        List<LineState> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int b = from + i * 5;
            out.add(new LineState(r.get(b).toLong(), r.get(b + 1).toLong(), r.get(b + 2).toLong(), r.get(b + 3).toInteger() == 1,
                    r.get(b + 4).toLong()));
        }
        return out;
    }
}
