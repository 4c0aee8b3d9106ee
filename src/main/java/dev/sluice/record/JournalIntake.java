package dev.sluice.record;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's append side, steps 1 to 3 of {@link JournaledLedger}'s picture: under one lock, a record's line goes to
 * the journal (or is held while the journal cannot take it), then to the writer's queue unless the ledger is
 * <em>spilling</em>, which means the journal alone holds new records until the writer has read them back. Everything
 * that must not interleave with an append (the writer switching to the journal, rotating a segment, close) takes the
 * same lock here.
 */
final class JournalIntake {
    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);

    /** A rotated-out segment, and the committed position after the rotation. */
    record Rotated(RandomAccessFile old, JournalPosition committed, boolean oldCommitted) {
    }

    private final Journal journal;
    private final BatchQueue queue;
    private final WriteFailures failures;
    /** Records the journal could not take yet (disk full); guarded by lock. */
    private final HeldLines held = new HeldLines(HeldLines.MAX_BYTES, this::spillFrom);
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock for writes; volatile so the writer and stats can read without it.
    private volatile boolean spilling;
    private volatile long spillSinceNanos;
    private boolean closed;

    final AtomicLong appended = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    /** @param spilling true when an earlier run's segments wait: until they are replayed, new records wait behind them */
    JournalIntake(Journal journal, BatchQueue queue, WriteFailures failures, boolean spilling) {
        this.journal = journal;
        this.queue = queue;
        this.failures = failures;
        this.spilling = spilling;
        this.spillSinceNanos = System.nanoTime();
    }

    void append(LedgerRecord r) {
        ByteBuffer line = Journal.frame(JournalCodec.encode(r));
        long now = System.nanoTime();
        lock.lock();
        try {
            if (closed) {
                dropped.incrementAndGet();
                throw new IllegalStateException("ledger: append of " + r.requestId() + "/" + r.attempt()
                        + " after close (expected: append before close)");
            }
            JournalPosition end;
            try {
                end = held.append(journal, line, now);
            } catch (HeldLines.Full e) {
                dropped.incrementAndGet();
                log.error("ledger: record {}/{} is lost: {}", r.requestId(), r.attempt(), e.getMessage());
                throw new UncheckedIOException("ledger journal " + journal.dir() + ": cannot append record "
                        + r.requestId() + "/" + r.attempt(), e);
            }
            appended.incrementAndGet();
            if (end == null) { // held until the journal takes it (a full disk)
                failures.note("journal: cannot be written; records held in memory");
                return;
            }
            if (!spilling && !queue.offer(new BatchQueue.Pending(r, end, now))) {
                spilling = true; // from now on the journal alone holds new records until the writer catches up
                spillSinceNanos = now;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Held records reached the journal, not the queue: the writer reads them back from there. Under the lock. */
    private void spillFrom(long sinceNanos) {
        if (!spilling) {
            spilling = true;
            spillSinceNanos = sinceNanos;
        }
    }

    /** Writer thread: retries the held records now and then, so they reach the journal even when no append comes. */
    void retryHeld() {
        if (!held.isEmpty() && lock.tryLock()) { // when an append holds the lock, it retries them itself
            try {
                if (!closed) {
                    held.writeTo(journal);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * After a writer failure: the writer reads on from the journal (which holds everything after its committed
     * position) and the queue, whose records are in the journal too, is dropped. Under the lock, so no append slips a
     * record into the queue meanwhile.
     */
    void spillSince(long inflightSinceNanos) {
        lock.lock();
        try {
            if (!spilling) {
                spillSinceNanos = inflightSinceNanos != 0 ? inflightSinceNanos : System.nanoTime();
            }
            spilling = true;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The writer read the journal up to {@code next}: when that is its end, new appends may use the queue again. */
    void readUpTo(JournalPosition next) {
        lock.lock();
        try {
            if (next.equals(journal.end())) {
                spilling = false; // starting right after the batch just read
            }
        } finally {
            lock.unlock();
        }
    }

    /** Where the journal ends now (no append is half done). */
    JournalPosition end() {
        lock.lock();
        try {
            return journal.end();
        } finally {
            lock.unlock();
        }
    }

    /** Starts a new segment; when {@code committed} was the old one's end, the new segment's start is committed. */
    Rotated rotate(JournalPosition committed) throws IOException {
        lock.lock();
        try {
            boolean oldCommitted = committed.equals(journal.end());
            RandomAccessFile old = journal.rotate();
            return new Rotated(old, oldCommitted ? journal.end() : committed, oldCommitted);
        } finally {
            lock.unlock();
        }
    }

    /** Refuses appends from now on; false when already closed. Held lines get a last try ({@code dropped} counts the rest). */
    boolean close(boolean tryHeld) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            if (tryHeld) {
                dropped.addAndGet(held.lastTry(journal));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean spilling() {
        return spilling;
    }

    long spillSinceNanos() {
        return spillSinceNanos;
    }

    HeldLines held() {
        return held;
    }
}
