package dev.sluice.budget.counter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends settles several to one script call, so that many requests' settles cost Redis fewer calls. A settle is
 * already off its request's timeline (nothing waits for it before answering), but its script shares the one
 * connection and Redis's one thread with the reserves that are on it.
 *
 * <p>How settles are gathered. With no window (the default) a settle goes at once when no batch is out; while one
 * is, settles wait and go together as soon as it is answered (or as soon as {@code maxBatch} of them wait). On a
 * quiet server that sends each settle alone, as before: a batch never holds Redis's thread for long in front of a
 * reserve. When Redis falls behind, the batches grow by themselves, which is when saving calls matters. A positive
 * window instead holds each settle up to that long for others (fewer calls, but a reserve that arrives just after a
 * flush waits behind the whole batch). {@code maxBatch} 1 sends every settle alone.
 *
 * <p>What stays exact:
 * <ol>
 *   <li>The batch script runs each settle in arrival order exactly as the single settle script did (same checks,
 *       same writes, its own {@code now}), and its reply is that settle's reply: duplicates, before/after for alert
 *       crossings, bills to the nano-dollar are unchanged.</li>
 *   <li>While a settle waits, its reservation stays whole in Redis ({@code x} still holds its worst case), so
 *       waiting only makes admission more careful: the reservation bound is untouched.</li>
 *   <li>{@link #drain()} sends what is waiting and completes when it is answered, so a graceful stop loses nothing.
 *       A crash loses the settles still waiting, as it loses those of its requests in flight: their reservations are
 *       released after their time to live, and their spend is in the ledger.</li>
 * </ol>
 */
final class SettleBatcher {
    /** The most settles in one script call: bounds how long one call holds Redis's thread. */
    static final int MAX_BATCH = 32;

    private final Vertx vertx;
    private final long windowMillis;
    private final int maxBatch;
    private final long timeoutMillis;
    private final Function<List<SettleCall>, Future<List<SettleResult>>> send;
    private final AtomicInteger outstanding = new AtomicInteger();
    private List<Waiting> waiting = new ArrayList<>();
    private boolean armed;
    private int roundsOut;

    private record Waiting(SettleCall call, Promise<SettleResult> promise) {
    }

    /**
     * @param windowMillis how long a settle may wait for others; 0 waits only while a batch is out
     * @param maxBatch     the most settles per script call (1: each alone)
     * @param send         sends one tenant's settles in one call; replies in the same order
     */
    SettleBatcher(Vertx vertx, long windowMillis, int maxBatch, long timeoutMillis,
                  Function<List<SettleCall>, Future<List<SettleResult>>> send) {
        if (windowMillis < 0) {
            throw new IllegalArgumentException("settle window: " + windowMillis + " ms (expected: >= 0)");
        }
        if (maxBatch < 1 || maxBatch > MAX_BATCH) {
            throw new IllegalArgumentException("settle batch: " + maxBatch + " (expected: 1 to " + MAX_BATCH + ")");
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.windowMillis = windowMillis;
        this.maxBatch = maxBatch;
        this.timeoutMillis = timeoutMillis;
        this.send = Objects.requireNonNull(send, "send");
    }

    Future<SettleResult> add(SettleCall call) {
        Promise<SettleResult> p = Promise.promise();
        List<Waiting> now = null;
        boolean arm = false;
        synchronized (this) {
            waiting.add(new Waiting(call, p));
            if (waiting.size() >= maxBatch || (windowMillis == 0 && roundsOut == 0)) {
                now = take();
            } else if (windowMillis > 0 && !armed) {
                armed = true;
                arm = true;
            }
        }
        if (now != null) {
            dispatch(now);
        } else if (arm) {
            try {
                vertx.setTimer(windowMillis, id -> flush());
            } catch (RuntimeException e) { // Vert.x is closing: send now rather than never
                flush();
            }
        }
        return p.future();
    }

    /** Sends everything waiting now. */
    void flush() {
        List<Waiting> batch;
        synchronized (this) {
            armed = false;
            batch = take();
        }
        dispatch(batch);
    }

    /** Sends what waits and completes when every batch sent so far has its answer (or after the timeout). */
    Future<Void> drain() {
        flush();
        Promise<Void> done = Promise.promise();
        poll(done, System.nanoTime() + timeoutMillis * 1_000_000); // monotonic: a clock stepped back must not hold a stop
        return done.future();
    }

    private void poll(Promise<Void> done, long until) {
        if (outstanding.get() == 0 || System.nanoTime() - until >= 0) {
            done.tryComplete();
            return;
        }
        try {
            vertx.setTimer(1, id -> poll(done, until));
        } catch (RuntimeException e) { // Vert.x is closing: the answers will not come
            done.tryComplete();
        }
    }

    /** Takes what waits and counts it as a round out (callers dispatch it). */
    private List<Waiting> take() {
        List<Waiting> out = waiting;
        waiting = new ArrayList<>();
        if (!out.isEmpty()) {
            roundsOut++;
        }
        return out;
    }

    /** One round: each tenant's settles in calls of at most {@code maxBatch}, pipelined. */
    private void dispatch(List<Waiting> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<Waiting>> byTenant = new LinkedHashMap<>();
        for (Waiting w : batch) {
            byTenant.computeIfAbsent(w.call().tenant(), t -> new ArrayList<>()).add(w);
        }
        List<Future<?>> calls = new ArrayList<>();
        for (List<Waiting> one : byTenant.values()) {
            for (int from = 0; from < one.size(); from += maxBatch) {
                calls.add(sendOne(one.subList(from, Math.min(one.size(), from + maxBatch))));
            }
        }
        Future.join(calls).onComplete(ar -> roundDone());
    }

    /** A round is answered: with no window, what gathered meanwhile goes now. */
    private void roundDone() {
        List<Waiting> next = null;
        synchronized (this) {
            roundsOut--;
            if (windowMillis == 0 && roundsOut == 0 && !waiting.isEmpty()) {
                next = take();
            }
        }
        if (next != null) {
            dispatch(next);
        }
    }

    private Future<List<SettleResult>> sendOne(List<Waiting> batch) {
        outstanding.incrementAndGet();
        Future<List<SettleResult>> f;
        try {
            f = send.apply(batch.stream().map(Waiting::call).toList());
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.andThen(ar -> {
            outstanding.decrementAndGet();
            for (int i = 0; i < batch.size(); i++) {
                if (ar.succeeded()) {
                    batch.get(i).promise().complete(ar.result().get(i));
                } else {
                    batch.get(i).promise().fail(ar.cause());
                }
            }
        });
    }
}
