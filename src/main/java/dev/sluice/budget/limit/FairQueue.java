package dev.sluice.budget.limit;

import dev.sluice.wire.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Shares one saturated upstream account between teams. Up to {@code maxConcurrent} requests go at once; the rest
 * wait in a bounded queue served by start-time fair queueing: each waiting request gets a virtual start tag
 * {@code max(V, last finish of its team)} and its team's finish advances by {@code 1/weight}; the smallest start
 * goes next and {@code V} moves to it. So a team of weight 2 gets twice the slots of a team of weight 1 while both
 * wait, a team alone gets everything, and a burst from one team cannot starve another. A full queue or a wait past
 * {@code maxWait} is a 429 {@code rate_limit_error} the client may retry.
 */
public final class FairQueue {
    private final Vertx vertx;
    private final int maxConcurrent;
    private final int queueSize;
    private final long maxWaitMillis;
    private final Map<String, Integer> weights;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) ->
            a.start != b.start ? Double.compare(a.start, b.start) : Long.compare(a.seq, b.seq));
    private final Map<String, Double> lastFinish = new HashMap<>();
    private double virtualTime;
    private long seq;
    private int inFlight;

    /** A slot on the upstream; release it when the attempt is over (twice is harmless). */
    public interface Permit {
        void release();
    }

    /** The queue was full or the wait too long. */
    public static final class Rejected extends RuntimeException {
        private final ApiError error;

        Rejected(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.error = new ApiError(429, "rate_limit_error", message, true, Map.of("retry-after", Long.toString(retryAfterSeconds)));
        }

        public ApiError toApiError() {
            return error;
        }
    }

    private static final class Waiter {
        final double start;
        final long seq;
        final Promise<Permit> promise;
        final Context context;
        long timer = -1;

        Waiter(double start, long seq, Promise<Permit> promise, Context context) {
            this.start = start;
            this.seq = seq;
            this.promise = promise;
            this.context = context;
        }
    }

    public FairQueue(Vertx vertx, int maxConcurrent, int queueSize, Duration maxWait, Map<String, Integer> weights) {
        if (maxConcurrent < 1 || queueSize < 0) {
            throw new IllegalArgumentException("fair queue: max-concurrent " + maxConcurrent + ", queue-size " + queueSize
                    + " (expected: max-concurrent >= 1, queue-size >= 0)");
        }
        this.vertx = vertx;
        this.maxConcurrent = maxConcurrent;
        this.queueSize = queueSize;
        this.maxWaitMillis = Math.max(1, maxWait.toMillis());
        this.weights = weights == null ? Map.of() : Map.copyOf(weights);
    }

    /** A slot now, or after waiting in the fair queue, or a {@link Rejected} failure. */
    public Future<Permit> acquire(String team) {
        String t = team == null ? "(none)" : team;
        Context ctx = Vertx.currentContext();
        synchronized (this) {
            if (inFlight < maxConcurrent && waiting.isEmpty()) {
                inFlight++;
                return Future.succeededFuture(permit());
            }
            if (waiting.size() >= queueSize) {
                return Future.failedFuture(new Rejected("upstream account busy: " + waiting.size()
                        + " requests already waiting for it · retry shortly", 1));
            }
            double start = Math.max(virtualTime, lastFinish.getOrDefault(t, 0.0));
            lastFinish.put(t, start + 1.0 / Math.max(1, weights.getOrDefault(t, 1)));
            Waiter w = new Waiter(start, seq++, Promise.promise(), ctx);
            waiting.add(w);
            w.timer = vertx.setTimer(maxWaitMillis, id -> expire(w));
            return w.promise.future();
        }
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    private Permit permit() {
        return new Permit() {
            private boolean released;

            @Override
            public void release() {
                synchronized (FairQueue.this) {
                    if (released) {
                        return;
                    }
                    released = true;
                    inFlight--;
                }
                dispatch();
            }
        };
    }

    private void dispatch() {
        Waiter next;
        synchronized (this) {
            if (inFlight >= maxConcurrent || waiting.isEmpty()) {
                return;
            }
            next = waiting.poll();
            virtualTime = Math.max(virtualTime, next.start);
            inFlight++;
            vertx.cancelTimer(next.timer);
        }
        complete(next, Future.succeededFuture(permit()));
    }

    private void expire(Waiter w) {
        synchronized (this) {
            if (!waiting.remove(w)) {
                return;
            }
        }
        complete(w, Future.failedFuture(new Rejected("waited " + maxWaitMillis / 1000 + " s for the busy upstream account · retry shortly", 1)));
    }

    private static void complete(Waiter w, Future<Permit> result) {
        if (w.context != null) {
            w.context.runOnContext(v -> w.promise.handle(result));
        } else {
            w.promise.handle(result);
        }
    }
}
