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
 * Gathers settles for up to one window and sends each tenant's together, so many requests' settles cost Redis one
 * script call instead of one each. A settle is already off its request's timeline (nothing waits for it before
 * answering), but its script shared the one connection and Redis's one thread with the reserves that are on it.
 *
 * <p>What stays exact:
 * <ol>
 *   <li>The batch script runs each settle in arrival order exactly as the single settle script did (same checks,
 *       same writes, its own {@code now}), and its reply is that settle's reply: duplicates, before/after for alert
 *       crossings, bills to the nano-dollar are unchanged.</li>
 *   <li>While a settle waits, its reservation stays whole in Redis ({@code x} still holds its worst case), so
 *       waiting only makes admission more careful: the reservation bound is untouched.</li>
 *   <li>{@link #close()} sends what is waiting and waits up to the link's timeout for it, so a graceful stop loses
 *       nothing. A crash loses the settles of its last window (at most {@code window} old): like the requests it had
 *       in flight, their reservations are released after their time to live, and their spend is in the ledger that
 *       counters are rebuilt from.</li>
 * </ol>
 */
final class SettleBatcher {
    /** Settles per script call: keeps one script's run, which blocks Redis, near one old settle's. */
    static final int MAX_BATCH = 32;

    private final Vertx vertx;
    private final long windowMillis;
    private final long timeoutMillis;
    private final Function<List<SettleCall>, Future<List<SettleResult>>> send;
    private final AtomicInteger outstanding = new AtomicInteger();
    private List<Waiting> waiting = new ArrayList<>();
    private boolean armed;

    private record Waiting(SettleCall call, Promise<SettleResult> promise) {
    }

    /**
     * @param window  how long a settle may wait for others; zero sends each at once
     * @param send    sends one tenant's settles in one call; replies in the same order
     */
    SettleBatcher(Vertx vertx, long windowMillis, long timeoutMillis, Function<List<SettleCall>, Future<List<SettleResult>>> send) {
        if (windowMillis < 0) {
            throw new IllegalArgumentException("settle window: " + windowMillis + " ms (expected: >= 0)");
        }
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.windowMillis = windowMillis;
        this.timeoutMillis = timeoutMillis;
        this.send = Objects.requireNonNull(send, "send");
    }

    Future<SettleResult> add(SettleCall call) {
        Promise<SettleResult> p = Promise.promise();
        List<Waiting> full = null;
        boolean arm = false;
        synchronized (this) {
            waiting.add(new Waiting(call, p));
            if (windowMillis == 0 || waiting.size() >= MAX_BATCH) {
                full = take();
            } else if (!armed) {
                armed = true;
                arm = true;
            }
        }
        if (full != null) {
            dispatch(full);
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
        long until = System.currentTimeMillis() + timeoutMillis;
        poll(done, until);
        return done.future();
    }

    private void poll(Promise<Void> done, long until) {
        if (outstanding.get() == 0 || System.currentTimeMillis() >= until) {
            done.tryComplete();
            return;
        }
        try {
            vertx.setTimer(1, id -> poll(done, until));
        } catch (RuntimeException e) { // Vert.x is closing: the answers will not come
            done.tryComplete();
        }
    }

    private List<Waiting> take() {
        List<Waiting> out = waiting;
        waiting = new ArrayList<>();
        return out;
    }

    private void dispatch(List<Waiting> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<Waiting>> byTenant = new LinkedHashMap<>();
        for (Waiting w : batch) {
            byTenant.computeIfAbsent(w.call().tenant(), t -> new ArrayList<>()).add(w);
        }
        for (List<Waiting> one : byTenant.values()) {
            for (int from = 0; from < one.size(); from += MAX_BATCH) {
                sendOne(one.subList(from, Math.min(one.size(), from + MAX_BATCH)));
            }
        }
    }

    private void sendOne(List<Waiting> batch) {
        outstanding.incrementAndGet();
        Future<List<SettleResult>> f;
        try {
            f = send.apply(batch.stream().map(Waiting::call).toList());
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
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
