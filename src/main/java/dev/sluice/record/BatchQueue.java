package dev.sluice.record;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The records {@link JournaledLedger} has journaled and its writer has not yet taken, in journal order, and how
 * the writer takes them: in batches, lingering after the first so that a batch fills. Bounded: when it is full the
 * ledger stops using it and reads the journal back instead (spilling).
 */
final class BatchQueue {
    /** Longest a batch waits for more records after its first (see {@link #lingerForCompany}). */
    static final long BATCH_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** A journaled record, where its journal line ends, and when it was appended. */
    record Pending(LedgerRecord record, JournalPosition end, long appendNanos) {
    }

    private final ArrayBlockingQueue<Pending> queue;
    private final int batchSize;

    BatchQueue(int capacity, int batchSize) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
    }

    /** False when full: the caller then leaves the record to the journal alone. */
    boolean offer(Pending p) {
        return queue.offer(p);
    }

    int size() {
        return queue.size();
    }

    /** When the oldest waiting record was appended, or {@code Long.MAX_VALUE} when none waits. */
    long oldestNanos() {
        Pending head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.appendNanos();
    }

    void clear() {
        queue.clear();
    }

    /**
     * The next batch, oldest first, waiting up to {@code waitNanos} for its first record (none when {@code stopping});
     * null when none came.
     */
    List<Pending> take(long waitNanos, BooleanSupplier stopping) {
        Pending first = queue.poll();
        if (first == null && waitNanos > 0 && !stopping.getAsBoolean()) {
            try {
                first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // Only close() stops the writer; a stray interrupt must not end the ledger's only writer.
                first = null;
            }
        }
        if (first == null) {
            return null;
        }
        lingerForCompany(first, stopping);
        List<Pending> pending = new ArrayList<>(Math.min(batchSize, queue.size() + 1));
        pending.add(first);
        queue.drainTo(pending, batchSize - 1);
        return pending;
    }

    /**
     * Lets a batch fill for up to {@link #BATCH_LINGER_NANOS} after its first record. Each commit costs
     * an fsync and the WAL writes of every page it touched (SQLite runs with synchronous=FULL), so a few
     * large commits are far cheaper than many small ones: at 2,000 records/s, 200 ms of lingering cut the
     * writer's CPU per record by about two thirds against 20 ms. The records are already safe in the
     * journal, so the wait costs no durability, only report freshness (at most this long).
     *
     * <p>It parks once for the rest of the linger, not in slices that look at the queue: each look is a timed park and
     * a wake-up, and looks every 25 ms were a tenth of the writer's CPU (every 2 ms, a sixth). A batch that fills
     * meanwhile waits out the linger; the queue holds 20 batches by default, and a writer that finds a full batch waiting
     * takes it without lingering, so that costs freshness at high rates, never throughput. {@code close()} unparks it.
     */
    private void lingerForCompany(Pending first, BooleanSupplier stopping) {
        long until = first.appendNanos() + BATCH_LINGER_NANOS;
        while (!stopping.getAsBoolean() && queue.size() < batchSize - 1) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(left);
        }
    }
}
