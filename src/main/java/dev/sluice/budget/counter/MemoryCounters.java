package dev.sluice.budget.counter;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counters in this process, for a single replica (and as the local fallback when Redis is down). One lock guards
 * everything: a reserve or settle is a few map reads and additions, far shorter than the lock hand-off, and one
 * lock makes "every line or none" trivially atomic.
 */
public final class MemoryCounters implements CounterStore {
    private static final int SWEEP_PER_CALL = 16;
    private static final long DONE_TTL_MS = Duration.ofDays(1).toMillis();
    /**
     * Settle markers kept at most (oldest dropped first). A marker only has to outlive a repeated call for the same
     * attempt, which comes within seconds; each costs about 144 bytes of heap, so the bound is ~14 MB, where a million
     * (a busy gateway's few minutes) was ~144 MB, most of the default 192 MB heap.
     */
    static final int MAX_DONE = 100_000;
    private static final int ALL = -2;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Line> lines = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private final PriorityQueue<Held> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final LinkedHashMap<String, Long> done = new LinkedHashMap<>();
    private final Map<String, Long> claims = new HashMap<>();
    private final Map<String, Written> maps = new HashMap<>();
    private boolean rebuilt;
    private long ops;

    /** A write-once map (a pool's rebalanced shares) and when its time to live ends. */
    private record Written(Map<String, Long> values, long until) {
    }

    /** A reservation held: which lines, what it added to each. */
    private record Held(String id, long deadline, List<LineSpec> lines, long[] reserved, long[] slack) {
    }

    @Override
    public Future<ReserveResult> reserve(ReserveCall call) {
        lock.lock();
        try {
            return Future.succeededFuture(reserveLocked(call));
        } finally {
            lock.unlock();
        }
    }

    private ReserveResult reserveLocked(ReserveCall call) {
        long now = call.nowMillis();
        housekeep(now);
        String id = call.tenant() + "|" + call.id();
        Held previous = held.remove(id);
        if (previous != null) {
            release(previous);
        }
        List<LineSpec> specs = call.lines();
        if (done.containsKey(id)) {
            return new ReserveResult(true, -1, null, states(specs, now, null, -1), true);
        }
        long[][] srd = new long[specs.size()][];
        for (int i = 0; i < specs.size(); i++) {
            Line l = line(specs.get(i), now);
            srd[i] = new long[] {l.s, l.r, l.d};
        }
        Refusal[] why = new Refusal[1];
        int[] at = {-1};
        int[] chosen = AdmissionRule.choose(specs, srd, why, at);
        if (chosen == null) {
            return new ReserveResult(false, at[0], why[0], states(specs, now, null, at[0]), false);
        }
        List<LineSpec> charged = new ArrayList<>();
        List<long[]> amounts = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (chosen[i] < 0) {
                continue;
            }
            LineSpec s = specs.get(i);
            long[] add = AdmissionRule.charge(s.cap(), srd[i][0], srd[i][1], srd[i][2], s.estimate(), s.worst());
            Line l = lines.get(s.key());
            l.r += add[0];
            l.d += add[1];
            charged.add(s);
            amounts.add(add);
        }
        Held h = new Held(id, now + call.ttlMillis(), charged, amounts.stream().mapToLong(a -> a[0]).toArray(),
                amounts.stream().mapToLong(a -> a[1]).toArray());
        held.put(id, h);
        deadlines.add(h);
        return new ReserveResult(true, -1, null, states(specs, now, chosen, -1), false);
    }

    @Override
    public Future<SettleResult> settle(SettleCall call) {
        lock.lock();
        try {
            long now = call.nowMillis();
            housekeep(now);
            String id = call.tenant() + "|" + call.id();
            List<Long> before = new ArrayList<>();
            List<Long> after = new ArrayList<>();
            if (done.containsKey(id)) {
                for (LineSpec s : call.lines()) {
                    long v = line(s, now).s;
                    before.add(v);
                    after.add(v);
                }
                return Future.succeededFuture(new SettleResult(true, before, after));
            }
            Held h = held.remove(id);
            if (h != null) {
                release(h);
            }
            for (int i = 0; i < call.lines().size(); i++) {
                LineSpec s = call.lines().get(i);
                Line l = line(s, now);
                before.add(l.s);
                l.add(s, now, call.amounts().get(i));
                l.expiresAt = Math.max(l.expiresAt, now + s.ttlMillis());
                after.add(l.s);
            }
            done.put(id, now + DONE_TTL_MS);
            return Future.succeededFuture(new SettleResult(false, before, after));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<List<LineState>> read(String tenant, long nowMillis, List<LineSpec> specs) {
        lock.lock();
        try {
            return Future.succeededFuture(states(specs, nowMillis, null, ALL));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<Boolean> claim(String tenant, String token, Duration ttl) {
        lock.lock();
        try {
            long now = System.currentTimeMillis();
            String k = tenant + "|" + token;
            Long until = claims.get(k);
            if (until != null && until > now) {
                return Future.succeededFuture(false);
            }
            claims.put(k, now + ttl.toMillis());
            return Future.succeededFuture(true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<Map<String, Long>> readMap(String tenant, String key) {
        lock.lock();
        try {
            Written m = maps.get(tenant + "|" + key);
            return Future.succeededFuture(m == null ? Map.of() : m.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<Boolean> writeMapOnce(String tenant, String key, Map<String, Long> values, Duration ttl) {
        lock.lock();
        try {
            long until = System.currentTimeMillis() + ttl.toMillis();
            return Future.succeededFuture(maps.putIfAbsent(tenant + "|" + key, new Written(Map.copyOf(values), until)) == null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<Void> seed(String tenant, long now, LineSpec spec, Map<Long, Long> perBucket) {
        lock.lock();
        try {
            Line l = line(spec, now);
            perBucket.forEach((b, v) -> l.seed(spec, b, v));
            l.expiresAt = Math.max(l.expiresAt, now + spec.ttlMillis());
            return Future.succeededFuture();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<Boolean> needsRebuild() {
        lock.lock();
        try {
            return Future.succeededFuture(!rebuilt);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Future<Void> markRebuilt() {
        lock.lock();
        try {
            rebuilt = true;
            return Future.succeededFuture();
        } finally {
            lock.unlock();
        }
    }

    /** Lines, reservations held and settle markers kept, for tests and gauges. */
    public int[] sizes() {
        lock.lock();
        try {
            return new int[] {lines.size(), held.size(), done.size()};
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
    }

    private Line line(LineSpec spec, long now) {
        Line l = lines.computeIfAbsent(spec.key(), k -> new Line());
        l.roll(spec, now);
        if (l.expiresAt == 0) {
            l.expiresAt = now + spec.ttlMillis();
        }
        return l;
    }

    /** States after a call; a rolling line's reset time only for line {@code resetsFor} (or {@link #ALL}), as in the script. */
    private List<LineState> states(List<LineSpec> specs, long now, int[] chosen, int resetsFor) {
        List<LineState> out = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            LineState s = line(specs.get(i), now).state(specs.get(i), chosen != null && chosen[i] >= 0);
            out.add(resetsFor == ALL || resetsFor == i ? s : new LineState(s.settled(), s.reserved(), s.slack(), s.charged(), 0));
        }
        return out;
    }

    private void release(Held h) {
        for (int i = 0; i < h.lines.size(); i++) {
            Line l = lines.get(h.lines.get(i).key());
            if (l != null) {
                l.r -= h.reserved[i];
                l.d -= h.slack[i];
            }
        }
    }

    /** Releases abandoned reservations (bounded per call) and, now and then, forgets expired lines and markers. */
    private void housekeep(long now) {
        for (int n = 0; n < SWEEP_PER_CALL && !deadlines.isEmpty() && deadlines.peek().deadline <= now; n++) {
            Held h = deadlines.poll();
            if (held.get(h.id) == h) {
                held.remove(h.id);
                release(h);
            }
        }
        if ((++ops & 4095) != 0) {
            return;
        }
        lines.values().removeIf(l -> l.expiresAt < now && l.r == 0 && l.d == 0);
        claims.values().removeIf(until -> until < now);
        maps.values().removeIf(m -> m.until() < now);
        for (Iterator<Long> it = done.values().iterator(); it.hasNext(); ) {
            long until = it.next();
            if (until >= now && done.size() <= MAX_DONE) {
                break;
            }
            it.remove();
        }
        deadlines.removeIf(h -> held.get(h.id) != h);
    }
}
