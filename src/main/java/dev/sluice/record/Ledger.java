package dev.sluice.record;

import java.io.Writer;
import java.time.Duration;
import java.util.List;

/** The durable log of what every upstream attempt cost; see the package documentation for the write path. */
public interface Ledger extends AutoCloseable {

    /**
     * Accepts one record. Returns once the record is in the local journal (a page-cache write, no fsync, no
     * database round trip), so a process crash after return cannot lose it; or, when the journal cannot be written
     * (disk full), once it is held in memory until the journal takes it ({@link #holding()}).
     *
     * @throws java.io.UncheckedIOException if the journal cannot be written and no more records can be held; the
     *                                      record is then not accepted and {@link LedgerStats#dropped()} counts it
     */
    void append(LedgerRecord r);

    /**
     * True while records accepted by {@link #append} wait in memory for the journal (its disk full): a crash now would
     * lose them, so the caller keeps its own crash-safe copy until this is false again (then every record appended
     * before is in the journal).
     */
    default boolean holding() {
        return false;
    }

    LedgerStats stats();

    /** Spend and usage grouped as the query asks; only committed records are seen. */
    List<SpendRow> report(SpendQuery q);

    /** The same rows as {@link #report}, as CSV for chargeback. */
    void exportCsv(SpendQuery q, Writer out);

    /** False once records can no longer reach the database from this process (its writer has died): /readyz says so. */
    default boolean writing() {
        return true;
    }

    /** Waits until every record appended before this call is committed; false on timeout. */
    default boolean awaitFlushed(Duration timeout) {
        return true;
    }

    /** Stops accepting records, writes what it can within the shutdown timeout, leaves the rest in the journal. */
    @Override
    void close();
}
