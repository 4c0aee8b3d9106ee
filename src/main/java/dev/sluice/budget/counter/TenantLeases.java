package dev.sluice.budget.counter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's leases on this replica: the lines leased, the requests admitted from them, the settles not yet sent,
 * and the one flush that may be out. Every method runs under this object's lock (callers synchronize on it), so a
 * request's check and hold on all its lines is one atomic step, as in {@link MemoryCounters}.
 */
final class TenantLeases {
    private static final long NEAR_MILLIS = 1_000;
    private static final long REFRESH_MILLIS = 1_000;
    private static final int MAX_SETTLES_PER_FLUSH = 256;
    private static final int MAX_HELD_IN_REDIS = 100_000;

    final String tenant;
    final String leaseId;
    final Map<String, LeaseLine> lines = new HashMap<>();
    private final Map<String, Hold> holds = new HashMap<>();
    private final LinkedHashMap<String, Pending> unsent = new LinkedHashMap<>();
    private final Map<String, Pending> sent = new HashMap<>();
    /** Ids reserved in Redis and not settled: reserved again (a degrade), they stay there, where the first is replaced. */
    private final LinkedHashMap<String, Boolean> heldInRedis = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_HELD_IN_REDIS;
        }
    };
    private long seq;
    private long validUntil;
    private long lastFlush;
    private long lastSweep;
    Batch out;

    /** A request admitted from the lease: what it holds on each line. */
    private record Hold(long deadline, LeaseLine[] lines, long[] worst, long[] estimate) {
    }

    /** A settle applied here, waiting for the flush that sends it. */
    record Pending(SettleCall call, LeaseLine[] lines, Promise<SettleResult> promise) {
    }

    /** A flush: what it sends per line, and the settles it carries. Kept whole to be resent as is (same seq). */
    record Batch(long seq, long now, List<LeaseLine> lines, long[] sending, long[] target, List<Pending> settles,
                 List<String> keys, List<String> args) {
    }

    TenantLeases(String tenant, String leaseId) {
        this.tenant = tenant;
        this.leaseId = leaseId;
    }

    /**
     * Admits {@code call} from the leases when every line has one with room for its worst case; null when it must go
     * to Redis (no lease, too little room, a pool's alternatives, or leases this replica could not renew).
     */
    ReserveResult tryLocal(ReserveCall call, long now) {
        Hold previous = holds.remove(call.id());
        if (previous != null) {
            release(previous);
        }
        List<LineSpec> specs = call.lines();
        if (unsent.containsKey(call.id()) || sent.containsKey(call.id())) {
            return new ReserveResult(true, -1, null, states(specs, false), true);
        }
        if (now >= validUntil || hasAlternatives(specs) || heldInRedis.containsKey(call.id())) {
            want(specs, now);
            return null;
        }
        LeaseLine[] found = new LeaseLine[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            LineSpec s = specs.get(i);
            LeaseLine l = lines.get(s.key());
            if (l == null || l.nearUntil > now || l.room() < s.worst()) {
                want(specs, now);
                return null;
            }
            found[i] = l;
        }
        long[] worst = new long[found.length];
        long[] estimate = new long[found.length];
        for (int i = 0; i < found.length; i++) {
            LineSpec s = specs.get(i);
            LeaseLine l = found[i];
            l.spec = s;
            l.inFlight += s.worst();
            l.inFlightEstimate += s.estimate();
            l.largestWorst = Math.max(l.largestWorst, s.worst());
            l.lastUse = now;
            worst[i] = s.worst();
            estimate[i] = s.estimate();
        }
        holds.put(call.id(), new Hold(now + call.ttlMillis(), found, worst, estimate));
        return new ReserveResult(true, -1, null, states(specs, true), false);
    }

    /** A reservation Redis admitted (the exact path). */
    void heldInRedis(String id) {
        heldInRedis.put(id, Boolean.TRUE);
    }

    /** Applies a settle of a request admitted here; null when this replica does not hold it (Redis settles it). */
    Future<SettleResult> trySettle(SettleCall call) {
        Pending dup = unsent.containsKey(call.id()) ? unsent.get(call.id()) : sent.get(call.id());
        if (dup != null) {
            return dup.promise().future().map(r -> new SettleResult(true, r.after(), r.after()));
        }
        Hold h = holds.remove(call.id());
        if (h == null) {
            heldInRedis.remove(call.id());
            return null;
        }
        release(h);
        LeaseLine[] at = new LeaseLine[call.lines().size()];
        for (int i = 0; i < at.length; i++) {
            LineSpec s = call.lines().get(i);
            LeaseLine l = null;
            for (LeaseLine held : h.lines()) {
                if (held.spec.key().equals(s.key())) {
                    l = held;
                }
            }
            if (l == null) { // a line charged that was not reserved: still counted, through this lease's flush
                l = lines.computeIfAbsent(s.key(), k -> new LeaseLine(s));
            }
            l.unsent += call.amounts().get(i);
            at[i] = l;
        }
        Pending p = new Pending(call, at, Promise.promise());
        unsent.put(call.id(), p);
        return p.promise().future();
    }

    /** The states of a Redis reply, with this replica's own unsent spend added to s; remembers Redis's numbers. */
    List<LineState> observe(List<LineSpec> specs, List<LineState> states) {
        List<LineState> out = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            LineState st = states.get(i);
            LeaseLine l = lines.get(specs.get(i).key());
            if (l == null) {
                out.add(st);
                continue;
            }
            l.s = st.settled();
            l.r = st.reserved();
            l.d = st.slack();
            out.add(new LineState(st.settled() + l.unsent + l.sending, st.reserved(), st.slack(), st.charged(), st.resetsAtMillis()));
        }
        return out;
    }

    /**
     * The next flush, or null when nothing needs one: settles to send, a lease to grow, shrink or renew. Shrinking
     * counts from now (the lease is smaller here before Redis confirms); growing only once Redis grants it.
     */
    Batch nextFlush(long now, LeaseSettings settings, boolean closing, String prefix, long markerTtl) {
        if (out != null) {
            return null;
        }
        sweep(now);
        List<Pending> settles = new ArrayList<>();
        for (Iterator<Pending> it = unsent.values().iterator(); it.hasNext() && settles.size() < MAX_SETTLES_PER_FLUSH; ) {
            settles.add(it.next());
        }
        Map<LeaseLine, Long> sendingOf = new HashMap<>();
        for (Pending p : settles) {
            for (int j = 0; j < p.lines().length; j++) {
                sendingOf.merge(p.lines()[j], p.call().amounts().get(j), Long::sum);
            }
        }
        List<LeaseLine> include = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        for (LeaseLine l : lines.values()) {
            long sending = sendingOf.getOrDefault(l, 0L);
            boolean idle = now - l.lastUse > settings.idle().toMillis();
            long headroom = closing || idle || l.nearUntil > now ? 0 : Math.max(settings.requests() * l.largestWorst, l.inFlight);
            long covers = l.inFlight + l.unsent - sending; // what the lease must still cover once this flush is applied
            long afterSettles = l.granted - sending;
            long target = covers + headroom;
            // Hysteresis both ways, so a lease is not resized on every flush as requests come and go.
            boolean grow = target > afterSettles && afterSettles - covers < headroom / 2;
            boolean shrink = afterSettles > target && (headroom == 0 || afterSettles > covers + 2 * headroom);
            boolean refresh = !idle && now - l.refreshedAt >= REFRESH_MILLIS; // standings see the other replicas' spend
            if (sendingOf.containsKey(l) || grow || shrink || refresh) {
                include.add(l);
                targets.add(grow || shrink ? target : afterSettles);
            }
        }
        boolean renew = validUntil > 0 && now - lastFlush >= settings.ttl().toMillis() / 4;
        if (include.isEmpty() && settles.isEmpty() && !renew) {
            return null;
        }
        for (Pending p : settles) {
            unsent.remove(p.call().id());
            sent.put(p.call().id(), p);
        }
        long[] sending = new long[include.size()];
        long[] target = new long[include.size()];
        List<String> keys = new ArrayList<>();
        keys.add(prefix + "inflight");
        keys.add(prefix + "res:" + leaseId);
        keys.add(prefix + "lseq:" + leaseId);
        long next = ++seq;
        List<String> args = new ArrayList<>(List.of(Long.toString(now), Long.toString(settings.ttl().toMillis()), leaseId,
                Long.toString(next), Long.toString(markerTtl), Integer.toString(settings.share()), Integer.toString(include.size()),
                Integer.toString(settles.size()), prefix + "res:"));
        Map<LeaseLine, Integer> index = new HashMap<>();
        for (int i = 0; i < include.size(); i++) {
            LeaseLine l = include.get(i);
            index.put(l, i);
            sending[i] = sendingOf.getOrDefault(l, 0L);
            target[i] = Math.max(0, targets.get(i));
            l.unsent -= sending[i];
            l.sending += sending[i];
            l.granted = Math.min(l.granted, target[i] + sending[i]); // a shrink counts here at once
            keys.add(l.spec.key());
            args.add(Long.toString(l.spec.cap()));
            args.add(Long.toString(l.spec.bucketMillis()));
            args.add(Integer.toString(l.spec.buckets()));
            args.add(Long.toString(l.spec.ttlMillis()));
            args.add(Long.toString(target[i]));
            args.add(Long.toString(Math.max(1, l.largestWorst)));
        }
        for (Pending p : settles) {
            keys.add(prefix + "done:" + p.call().id());
            args.add(Long.toString(p.call().nowMillis()));
            args.add(Integer.toString(p.lines().length));
            for (int j = 0; j < p.lines().length; j++) {
                args.add(Integer.toString(index.get(p.lines()[j]) + 1));
                args.add(Long.toString(p.call().amounts().get(j)));
            }
        }
        out = new Batch(next, now, include, sending, target, settles, keys, args);
        return out;
    }

    /**
     * Redis answered {@code b}: its leases, its numbers; the settles it carried complete with the flush's
     * before/after (every settle of a batch sees the same, so a threshold crossed by the batch is seen by each, and
     * the engine's once-only alert claim keeps one).
     *
     * @param reply {applied, 5 per line: s before, s after, r, d, lease; one per settle: counted}
     * @return the settles' completions, to run once the lock is released
     */
    List<Runnable> answered(Batch b, long[] reply, long ttlMillis) {
        out = null;
        lastFlush = b.now();
        validUntil = b.now() + ttlMillis / 2;
        int n = b.lines().size();
        for (int i = 0; i < n; i++) {
            LeaseLine l = b.lines().get(i);
            l.sending -= b.sending()[i];
            l.s = reply[2 + 5 * i];
            l.r = reply[3 + 5 * i];
            l.d = reply[4 + 5 * i];
            l.granted = reply[5 + 5 * i];
            l.refreshedAt = b.now();
            if (b.target()[i] > l.granted && l.room() < l.largestWorst) {
                l.nearUntil = b.now() + NEAR_MILLIS;
            }
        }
        List<Runnable> complete = new ArrayList<>(b.settles().size());
        for (int c = 0; c < b.settles().size(); c++) {
            Pending p = b.settles().get(c);
            sent.remove(p.call().id());
            List<Long> before = new ArrayList<>();
            List<Long> after = new ArrayList<>();
            for (LeaseLine l : p.lines()) {
                int i = b.lines().indexOf(l);
                before.add(reply[1 + 5 * i]);
                after.add(reply[2 + 5 * i]);
            }
            SettleResult result = new SettleResult(reply[0] == 1 && reply[1 + 5 * n + c] == 0, before, after);
            complete.add(() -> p.promise().complete(result));
        }
        lines.values().removeIf(l -> l.granted == 0 && l.exposure() == 0 && b.now() - l.lastUse > NEAR_MILLIS * 5);
        return complete; // run outside the lock: the engine's crossing checks hang on these
    }

    /** Redis could not be reached: serve nothing from the leases until a flush is answered again. */
    void unreachable() {
        validUntil = 0;
    }

    boolean hasUnsent() {
        return !unsent.isEmpty();
    }

    /** The flush failed or timed out: its outcome is unknown, so the same batch goes again (Redis applies a seq once). */
    Batch retry() {
        return out;
    }

    private boolean hasAlternatives(List<LineSpec> specs) {
        for (int i = 1; i < specs.size(); i++) {
            if (specs.get(i).group() == specs.get(i - 1).group()) {
                return true;
            }
        }
        return false;
    }

    /** Lines a request could not be served from: the next flush asks for leases on them (not for pools). */
    private void want(List<LineSpec> specs, long now) {
        if (hasAlternatives(specs)) {
            return;
        }
        for (LineSpec s : specs) {
            LeaseLine l = lines.computeIfAbsent(s.key(), k -> new LeaseLine(s));
            l.spec = s;
            l.largestWorst = Math.max(l.largestWorst, s.worst());
            l.lastUse = now;
        }
    }

    private void release(Hold h) {
        for (int i = 0; i < h.lines().length; i++) {
            h.lines()[i].inFlight -= h.worst()[i];
            h.lines()[i].inFlightEstimate -= h.estimate()[i];
        }
    }

    /** Releases requests admitted here and never settled, once their time to live has passed (as Redis does). */
    private void sweep(long now) {
        if (now - lastSweep < REFRESH_MILLIS) {
            return;
        }
        lastSweep = now;
        holds.values().removeIf(h -> {
            if (h.deadline() <= now) {
                release(h);
                return true;
            }
            return false;
        });
    }

    private List<LineState> states(List<LineSpec> specs, boolean charged) {
        List<LineState> out = new ArrayList<>(specs.size());
        for (LineSpec s : specs) {
            LeaseLine l = lines.get(s.key());
            out.add(l == null ? new LineState(0, 0, 0, charged, 0) : l.state(charged));
        }
        return out;
    }
}
