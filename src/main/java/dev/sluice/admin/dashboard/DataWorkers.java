package dev.sluice.admin.dashboard;

import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Where the dashboard's data calls run: workers of their own, a few at once, and a short line behind them; a call
 * past the line is a retryable 503. Not the Vert.x worker pool: that one also runs the request path's blocking work (a
 * large answer's cache entry, a developer's request lookup, {@code /api/oauth/usage}, Claude Code's sign-in), and a
 * 30-day call holds its worker and a database connection for as long as the spend query scans (about a second on 600,000
 * records). Sixty such calls from one read key held a developer's {@code GET /sluice/v1/requests/{id}} for 52 s, as
 * every worker waited for one of the pool's four connections, which the ledger's writer needs too. Running at most
 * half the database pool's connections (one or two) leaves the rest to the ledger and everything else.
 */
final class DataWorkers {
    /** Data calls running at once, at most: a page load sends six, so a second one waits, it does not fail. */
    static final int MAX_RUNNING = 2;
    /** Data calls admitted and waiting for a worker, at most: one page load's six, for a few browsers at once. */
    static final int MAX_WAITING = 24;

    private final WorkerExecutor workers;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();

    DataWorkers(Vertx vertx, int running) {
        if (running < 1 || running > MAX_RUNNING) {
            throw new IllegalArgumentException("running: " + running + " (expected: 1 to " + MAX_RUNNING + ")");
        }
        this.workers = vertx.createSharedWorkerExecutor("sluice-dashboard", running);
        this.capacity = running + MAX_WAITING;
    }

    /** How many calls may run at once for a database pool of {@code poolSize} connections: half of them, 1 or 2. */
    static int runningFor(DataSource db) {
        int pool = db instanceof com.zaxxer.hikari.HikariDataSource h ? h.getMaximumPoolSize() : 2 * MAX_RUNNING;
        return Math.max(1, Math.min(MAX_RUNNING, pool / 2));
    }

    /** Runs {@code call} on the dashboard's workers, or fails at once with a 503 when the line is full. */
    <T> Future<T> submit(Callable<T> call) {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            return Future.failedFuture(new ApiError(503, "overloaded_error", "the dashboard is answering " + capacity
                    + " data calls already; try again in a moment", true, Map.of("retry-after", "1")));
        }
        return workers.<T>executeBlocking(call, false).onComplete(done -> admitted.decrementAndGet());
    }
}
