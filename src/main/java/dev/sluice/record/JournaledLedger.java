package dev.sluice.record;

import dev.sluice.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
 * Steps 1 to 3 are {@link JournalIntake}, 4 to 6 {@link LedgerWriter} (reading the journal back with
 * {@link JournalBacklog}), the sync thread {@link JournalSync}; this class opens, wires and closes them.
 */
public final class JournaledLedger implements Ledger {

    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);

    private final LedgerSettings settings;
    private final Journal journal;
    private final SpendReports reports;
    private final BatchQueue queue;
    private final JournalIntake intake;
    private final LedgerWriter writer;
    private final JournalSync syncer;
    private final WriteFailures failures;
    private final RefusedRecords refused;

    /** The newest records an earlier run left in the journal, read at open (see {@link #takeLastRunsRecent}). */
    private List<LedgerRecord> lastRunsRecent = List.of();

    private JournaledLedger(Journal journal, LedgerTable table, SpendReports reports, LedgerSettings settings,
                            BooleanSupplier databaseInPlace) {
        this.settings = settings;
        this.journal = journal;
        this.reports = reports;
        this.queue = new BatchQueue(settings.queueCapacity(), settings.batchSize());
        this.failures = new WriteFailures(journal.dir());
        this.refused = new RefusedRecords(journal.dir());
        // Segments from an earlier run are replayed first; until then new records wait in the journal too.
        this.intake = new JournalIntake(journal, queue, failures, journal.start().isBefore(journal.end()));
        this.writer = new LedgerWriter(settings, journal, intake, queue, table, failures, refused, databaseInPlace);
        this.syncer = new JournalSync(journal, settings.syncInterval(), () -> !writer.caughtUp(),
                () -> !writer.abandoned() && (!writer.stopping() || writer.alive()), failures);
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
        if (ledger.intake.spilling()) {
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
        intake.append(r);
    }

    @Override
    public boolean holding() {
        return !intake.held().isEmpty();
    }

    @Override
    public boolean writing() {
        return writer.alive() || writer.stopping();
    }

    @Override
    public LedgerStats stats() {
        long now = System.nanoTime();
        long oldest = Long.MAX_VALUE;
        if (!writer.caughtUp()) {
            long inflight = writer.inflightSinceNanos();
            if (inflight != 0) {
                oldest = inflight;
            }
            oldest = Math.min(oldest, queue.oldestNanos());
            if (intake.spilling()) {
                oldest = Math.min(oldest, intake.spillSinceNanos());
            }
        }
        HeldLines held = intake.held();
        if (!held.isEmpty()) {
            oldest = Math.min(oldest, held.sinceNanos());
        }
        long lag = oldest == Long.MAX_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - oldest));
        return new LedgerStats(queue.size() + held.size(), intake.spilling(), intake.appended.get(), writer.written.get(),
                lag, intake.dropped.get() + refused.lost(), refused.refused(), writer.corrupt(), journal.bytes(),
                failures.lastError());
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
        while (!intake.held().isEmpty()) { // records the journal has not taken yet (a full disk) come first
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LedgerWriter.pause(settings.syncInterval().toNanos());
        }
        return writer.awaitCommitted(intake.end(), deadline);
    }

    @Override
    public void close() {
        if (!intake.close(true)) {
            return;
        }
        writer.stop();
        syncer.join(Duration.ofSeconds(5));
        try {
            if (writer.caughtUp() && !writer.alive()) {
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
        intake.close(false);
        writer.abandon();
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
}
