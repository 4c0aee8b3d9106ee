package dev.sluice.record;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The ledger's writer thread, steps 4 to 6 of {@link JournaledLedger}'s picture: takes a batch (from the queue, or
 * from the journal while the intake spills), commits it, advances the committed position, deletes fully committed
 * segments and rotates the live one. It alone moves the committed position.
 */
final class LedgerWriter {
    /** A caught-up writer rotates small segments too, so a restart after a crash replays little. */
    private static final long ROTATE_WHEN_CAUGHT_UP_BYTES = 256 * 1024;

    private record Batch(List<LedgerRecord> records, JournalPosition next, long oldestNanos) {
    }

    private final LedgerSettings settings;
    private final Journal journal;
    private final JournalIntake intake;
    private final BatchQueue queue;
    private final WriteFailures failures;
    private final TableCommits commits;
    private final JournalBacklog backlog;
    private final Object flushMonitor = new Object();
    private final Thread thread;

    private volatile JournalPosition committed;
    private volatile long inflightSinceNanos;
    private volatile boolean stopping;
    /** Set by a simulated crash, or by close() when the writer hangs: both threads stop touching the journal. */
    private volatile boolean abandoned;

    final AtomicLong written = new AtomicLong();

    LedgerWriter(LedgerSettings settings, Journal journal, JournalIntake intake, BatchQueue queue, LedgerTable table,
                 WriteFailures failures, RefusedRecords refused, BooleanSupplier databaseInPlace) {
        this.settings = settings;
        this.journal = journal;
        this.intake = intake;
        this.queue = queue;
        this.failures = failures;
        this.commits = new TableCommits(table, failures, refused, this::waitWhileSyncing, databaseInPlace);
        this.backlog = new JournalBacklog(journal, settings.batchSize());
        this.committed = journal.start();
        this.thread = Thread.ofPlatform().name("sluice-ledger-writer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Whether every record appended so far is in the database (nothing queued, spilled, held or in flight). */
    boolean caughtUp() {
        return !intake.spilling() && committed.equals(journal.end()) && intake.held().isEmpty();
    }

    boolean alive() {
        return thread.isAlive();
    }

    boolean stopping() {
        return stopping;
    }

    boolean abandoned() {
        return abandoned;
    }

    long inflightSinceNanos() {
        return inflightSinceNanos;
    }

    long corrupt() {
        return backlog.corrupt();
    }

    /** Waits until the committed position reaches {@code target}; false at {@code deadlineNanos} or on interrupt. */
    boolean awaitCommitted(JournalPosition target, long deadlineNanos) {
        synchronized (flushMonitor) {
            while (committed.isBefore(target)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(flushMonitor, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Stops after the backlog is written or {@code settings.shutdownTimeout} passed; a hung writer is abandoned. */
    void stop() {
        stopping = true;
        LockSupport.unpark(thread); // a lingering writer would otherwise sleep out its slice first
        join(settings.shutdownTimeout().plusSeconds(5));
        if (thread.isAlive()) {
            abandoned = true; // stuck in a database call: it must not touch the journal once we close it
        }
    }

    /** A simulated kill: stops without draining, deleting or syncing anything. */
    void abandon() {
        abandoned = true;
        stopping = true;
        LockSupport.unpark(thread);
        join(Duration.ofSeconds(10));
    }

    private void run() {
        long deadline = Long.MAX_VALUE;
        while (!abandoned) {
            if (stopping && deadline == Long.MAX_VALUE) {
                deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
            }
            if (stopping && (caughtUp() || System.nanoTime() - deadline >= 0)) {
                return;
            }
            try {
                intake.retryHeld();
                Batch batch = nextBatch();
                if (batch == null) {
                    maybeRotate();
                    continue;
                }
                if (!batch.records().isEmpty()) {
                    inflightSinceNanos = batch.oldestNanos();
                    long until = deadline;
                    if (!commits.commit(batch.records(), () -> abandoned || stopping && System.nanoTime() - until >= 0)) {
                        return; // shutdown deadline passed: the batch stays in the journal for the next start
                    }
                } else if (batch.next().equals(committed)) {
                    pause(settings.syncInterval().toNanos()); // nothing readable yet; do not spin
                }
                advance(batch.next(), batch.records().size());
                maybeRotate();
            } catch (IOException | RuntimeException | Error e) {
                // An Error too (an OutOfMemoryError thrown here by another thread's allocation): this is the ledger's
                // only writer, and its death left records piling up in the journal with nothing to say so.
                failures.failure("journal", e);
                // The batch in hand may be lost from memory; the journal still holds it, after the committed position.
                // Reading on from there writes it again (inserts are idempotent).
                intake.spillSince(inflightSinceNanos);
                pause(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** The next records to write, in journal order, or null when none arrived within the sync interval. */
    private Batch nextBatch() throws IOException {
        boolean spilling = intake.spilling();
        List<BatchQueue.Pending> pending = queue.take(spilling ? 0 : settings.syncInterval().toNanos(), () -> stopping);
        if (pending == null) {
            return spilling ? readBacklog() : null;
        }
        List<LedgerRecord> records = new ArrayList<>(pending.size());
        for (BatchQueue.Pending p : pending) {
            records.add(p.record());
        }
        return new Batch(records, pending.getLast().end(), pending.getFirst().appendNanos());
    }

    /** Reads records back from the journal: after a queue overflow, and at start for an earlier run's segments. */
    private Batch readBacklog() throws IOException {
        JournalBacklog.Read read = backlog.read(committed, intake.end());
        intake.readUpTo(read.next());
        return new Batch(read.records(), read.next(), intake.spillSinceNanos());
    }

    private void advance(JournalPosition next, int records) throws IOException {
        if (abandoned) {
            return; // the rows may be committed, but the journal is closed; the next start's replay is idempotent
        }
        committed = next;
        inflightSinceNanos = 0;
        written.addAndGet(records);
        journal.deleteBefore(next);
        synchronized (flushMonitor) {
            flushMonitor.notifyAll();
        }
    }

    private void maybeRotate() throws IOException {
        if (abandoned) {
            return;
        }
        long size = journal.currentSize();
        if (size < settings.segmentBytes() && !(caughtUp() && size >= ROTATE_WHEN_CAUGHT_UP_BYTES)) {
            return;
        }
        JournalIntake.Rotated r = intake.rotate(committed);
        committed = r.committed();
        if (!r.oldCommitted()) {
            r.old().getFD().sync(); // it still holds uncommitted records: make them survive a host crash
        }
        r.old().close();
        journal.syncDirectory();
        journal.deleteBefore(committed);
    }

    private void waitWhileSyncing(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0 && !abandoned) {
            pause(Math.min(settings.syncInterval().toNanos(), until - System.nanoTime()));
            intake.retryHeld(); // the journal may take them while the database is away
            try {
                maybeRotate(); // keep segments bounded while the database is away
            } catch (IOException e) {
                failures.failure("journal", e);
            }
        }
    }

    static void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    private void join(Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
