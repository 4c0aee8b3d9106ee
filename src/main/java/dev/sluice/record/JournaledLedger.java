package dev.sluice.record;

import dev.sluice.store.Database;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger: a local journal in front of batched, idempotent database writes. The package documentation
 * explains and defends the design; in short:
 *
 * <pre>
 *  request thread                     writer thread                          sync thread
 *  ──────────────                     ─────────────                          ───────────
 *  1. encode record (no lock)
 *  2. lock: write line to journal ──▶ 4. take a batch: from the queue, or,    every 25 ms: fsync the
 *     (page cache), then offer to        if it overflowed, read the journal   journal if it holds bytes
 *     the bounded queue; if full,        back from the committed position     that are neither synced
 *     switch to spilling               5. INSERT .. ON CONFLICT DO NOTHING    nor committed
 *  3. return                              in one transaction; retry on error
 *                                      6. advance the committed position,
 *                                         delete fully committed segments,
 *                                         rotate the live segment when large
 * </pre>
 */
public final class JournaledLedger implements Ledger {

    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);

    /** A caught-up writer rotates small segments too, so a restart after a crash replays little. */
    private static final long ROTATE_WHEN_CAUGHT_UP_BYTES = 256 * 1024;

    private record Batch(List<LedgerRecord> records, JournalPosition next, long oldestNanos) {
    }

    private final LedgerSettings settings;
    private final Journal journal;
    private final SpendReports reports;
    private final BatchQueue queue;
    /** Records the journal could not take yet (disk full); guarded by lock. */
    private final HeldLines held = new HeldLines(HeldLines.MAX_BYTES, this::spillFrom);
    private final ReentrantLock lock = new ReentrantLock();
    private final Object flushMonitor = new Object();
    private final Thread writer;
    private final JournalSync syncer;

    // Guarded by lock for writes; volatile so the writer and stats can read without it.
    private volatile boolean spilling;
    private volatile long spillSinceNanos;
    private boolean closed;

    private volatile JournalPosition committed;
    private volatile long inflightSinceNanos;
    private volatile boolean stopping;
    /** Set by a simulated crash, or by close() when the writer hangs: both threads stop touching the journal. */
    private volatile boolean abandoned;
    private final WriteFailures failures;
    private final RefusedRecords refused;
    private final TableCommits commits;

    /** The newest records an earlier run left in the journal, read at open (see {@link #takeLastRunsRecent}). */
    private List<LedgerRecord> lastRunsRecent = List.of();

    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();

    private JournaledLedger(Journal journal, LedgerTable table, SpendReports reports, LedgerSettings settings,
                            BooleanSupplier databaseInPlace) {
        this.settings = settings;
        this.journal = journal;
        this.reports = reports;
        this.queue = new BatchQueue(settings.queueCapacity(), settings.batchSize());
        this.failures = new WriteFailures(journal.dir());
        this.refused = new RefusedRecords(journal.dir());
        this.commits = new TableCommits(table, failures, refused, this::waitWhileSyncing, databaseInPlace);
        this.committed = journal.start();
        // Segments from an earlier run are replayed first; until then new records wait in the journal too.
        this.spilling = journal.start().isBefore(journal.end());
        this.spillSinceNanos = System.nanoTime();
        this.writer = Thread.ofPlatform().name("sluice-ledger-writer").daemon().unstarted(this::runWriter);
        this.syncer = new JournalSync(journal, settings.syncInterval(), () -> !caughtUp(),
                () -> !abandoned && (!stopping || writer.isAlive()), failures);
    }

    /** Opens the journal in {@code settings.journalDir()}, replays what an earlier run left, and starts writing. */
    public static JournaledLedger open(Database db, LedgerSettings settings) {
        return open(db.dataSource(), db.isPostgres(), settings, db::inPlace);
    }

    static JournaledLedger open(DataSource dataSource, boolean postgres, LedgerSettings settings) {
        return open(dataSource, postgres, settings, () -> true);
    }

    private static JournaledLedger open(DataSource dataSource, boolean postgres, LedgerSettings settings,
                                        BooleanSupplier databaseInPlace) {
        Objects.requireNonNull(settings, "settings");
        Journal journal;
        try {
            journal = Journal.open(settings.journalDir());
        } catch (IOException e) {
            throw new UncheckedIOException("ledger journal " + settings.journalDir() + ": cannot open: " + e.getMessage(), e);
        }
        JournaledLedger ledger = new JournaledLedger(journal, new LedgerTable(dataSource, postgres),
                new SpendReports(dataSource, postgres), settings, databaseInPlace);
        if (ledger.spilling) {
            log.info("ledger: replaying {} bytes of journal from {}", journal.bytes(), settings.journalDir());
            ledger.lastRunsRecent = LastRunRecords.read(journal, LastRunRecords.WINDOW);
        }
        ledger.writer.start();
        ledger.syncer.start();
        return ledger;
    }

    /**
     * The records an earlier run appended in its last {@link LastRunRecords#WINDOW} before it stopped, as its journal holds
     * them, handed over once (then empty): what a killed run may not yet have told shared budget counters.
     */
    public synchronized List<LedgerRecord> takeLastRunsRecent() {
        List<LedgerRecord> taken = lastRunsRecent;
        lastRunsRecent = List.of();
        return taken;
    }

    @Override
    public void append(LedgerRecord r) {
        Objects.requireNonNull(r, "record");
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
    private void retryHeld() {
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

    @Override
    public boolean holding() {
        return !held.isEmpty();
    }

    @Override
    public boolean writing() {
        return writer.isAlive() || stopping;
    }

    @Override
    public LedgerStats stats() {
        long now = System.nanoTime();
        long oldest = Long.MAX_VALUE;
        if (!caughtUp()) {
            long inflight = inflightSinceNanos;
            if (inflight != 0) {
                oldest = inflight;
            }
            oldest = Math.min(oldest, queue.oldestNanos());
            if (spilling) {
                oldest = Math.min(oldest, spillSinceNanos);
            }
        }
        if (!held.isEmpty()) {
            oldest = Math.min(oldest, held.sinceNanos());
        }
        long lag = oldest == Long.MAX_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - oldest));
        return new LedgerStats(queue.size() + held.size(), spilling, appended.get(), written.get(), lag, dropped.get() + refused.lost(),
                refused.refused(), corrupt.get(), journal.bytes(), failures.lastError());
    }

    @Override
    public List<SpendRow> report(SpendQuery q) {
        return reports.report(q);
    }

    @Override
    public void exportCsv(SpendQuery q, Writer out) {
        reports.exportCsv(q, out);
    }

    @Override
    public boolean awaitFlushed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!held.isEmpty()) { // records the journal has not taken yet (a full disk) come first
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(settings.syncInterval().toNanos());
        }
        JournalPosition target;
        lock.lock();
        try {
            target = journal.end();
        } finally {
            lock.unlock();
        }
        synchronized (flushMonitor) {
            while (committed.isBefore(target)) {
                long left = deadline - System.nanoTime();
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

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            dropped.addAndGet(held.lastTry(journal));
        } finally {
            lock.unlock();
        }
        stopping = true;
        LockSupport.unpark(writer); // a lingering writer would otherwise sleep out its slice first
        joinQuietly(writer, settings.shutdownTimeout().plusSeconds(5));
        if (writer.isAlive()) {
            abandoned = true; // stuck in a database call: it must not touch the journal once we close it
        }
        syncer.join(Duration.ofSeconds(5));
        try {
            if (caughtUp() && !writer.isAlive()) {
                journal.deleteAll(); // everything is in the database: nothing to replay
            } else {
                log.warn("ledger: closing with records not yet in the database; they stay in {} and are written at "
                        + "the next start ({})", journal.dir(), stats());
            }
            journal.close();
        } catch (IOException e) {
            log.warn("ledger: closing journal {}: {}", journal.dir(), e.toString());
        }
    }

    /**
     * Test hook for a crash: stops both threads without draining, deleting or syncing anything and releases
     * the journal lock, leaving the files as a killed process would.
     */
    void crashForTest() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        abandoned = true;
        stopping = true;
        LockSupport.unpark(writer);
        joinQuietly(writer, Duration.ofSeconds(10));
        syncer.join(Duration.ofSeconds(10));
        try {
            journal.abandon();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Test hook: the journal's disk is full (every write fails) while {@code full}. */
    void diskFullForTest(boolean full) {
        journal.diskFullForTest(full);
    }

    // ---- writer thread ---------------------------------------------------------------------------------

    private void runWriter() {
        long deadline = Long.MAX_VALUE;
        while (!abandoned) {
            if (stopping && deadline == Long.MAX_VALUE) {
                deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
            }
            if (stopping && (caughtUp() || System.nanoTime() - deadline >= 0)) {
                return;
            }
            try {
                retryHeld();
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
                rereadFromJournal();
                pause(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /**
     * After a failure the batch in hand may be lost from memory; the journal still holds it, after the committed
     * position. Reading on from there (spilling) writes it again (inserts are idempotent) and drops the queue, whose
     * records are in the journal too. Under the append lock, so no append slips a record into the queue meanwhile.
     */
    private void rereadFromJournal() {
        lock.lock();
        try {
            if (!spilling) {
                long inflight = inflightSinceNanos;
                spillSinceNanos = inflight != 0 ? inflight : System.nanoTime();
            }
            spilling = true;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The next records to write, in journal order, or null when none arrived within the sync interval. */
    private Batch nextBatch() throws IOException {
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
        JournalPosition limit;
        lock.lock();
        try {
            limit = journal.end();
        } finally {
            lock.unlock();
        }
        Journal.Read read = journal.read(committed, limit, settings.batchSize());
        List<LedgerRecord> records = new ArrayList<>(read.payloads().size());
        int bad = read.corrupt();
        for (byte[] payload : read.payloads()) {
            try {
                records.add(JournalCodec.decode(payload, 0, payload.length));
            } catch (IllegalArgumentException e) {
                bad++;
                log.error("ledger: skipping unreadable journal line in {}: {}", journal.dir(), e.getMessage());
            }
        }
        if (bad > 0) {
            corrupt.addAndGet(bad);
            log.error("ledger: {} journal line(s) in {} failed their checksum or format and were skipped "
                    + "(a torn write from a host crash?)", bad, journal.dir());
        }
        lock.lock();
        try {
            if (read.next().equals(journal.end())) {
                spilling = false; // caught up: new appends may use the queue again, starting right after this batch
            }
        } finally {
            lock.unlock();
        }
        return new Batch(records, read.next(), spillSinceNanos);
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
        boolean caughtUp = caughtUp();
        if (size < settings.segmentBytes() && !(caughtUp && size >= ROTATE_WHEN_CAUGHT_UP_BYTES)) {
            return;
        }
        RandomAccessFile old;
        boolean oldCommitted;
        lock.lock();
        try {
            oldCommitted = committed.equals(journal.end());
            old = journal.rotate();
            if (oldCommitted) {
                committed = journal.end(); // the start of the new, empty segment
            }
        } finally {
            lock.unlock();
        }
        if (!oldCommitted) {
            old.getFD().sync(); // it still holds uncommitted records: make them survive a host crash
        }
        old.close();
        journal.syncDirectory();
        journal.deleteBefore(committed);
    }

    private boolean caughtUp() {
        return !spilling && committed.equals(journal.end()) && held.isEmpty();
    }

    private void waitWhileSyncing(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0 && !abandoned) {
            pause(Math.min(settings.syncInterval().toNanos(), until - System.nanoTime()));
            retryHeld(); // the journal may take them while the database is away
            try {
                maybeRotate(); // keep segments bounded while the database is away
            } catch (IOException e) {
                failures.failure("journal", e);
            }
        }
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    private static void joinQuietly(Thread t, Duration timeout) {
        try {
            t.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
