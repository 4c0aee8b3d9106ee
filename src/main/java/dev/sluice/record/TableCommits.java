package dev.sluice.record;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The ledger writer's side of the database: commits a batch of records, retrying through database outages with a
 * growing pause, and sets aside a record the database refuses as data (after isolating it from the batch), so one
 * bad record never holds up the rest. The journal keeps every record until its batch is committed here.
 */
final class TableCommits {
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LedgerTable table;
    private final WriteFailures failures;
    private final RefusedRecords refused;
    private final LongConsumer pause;
    private final BooleanSupplier inPlace;

    /**
     * @param pause   waits between retries (the writer's own wait, which lets the journal's syncer run)
     * @param inPlace whether the database is still the one at its path ({@code Database.inPlace}): a commit into a
     *                deleted or replaced SQLite file is not a commit, so its records stay in the journal
     */
    TableCommits(LedgerTable table, WriteFailures failures, RefusedRecords refused, LongConsumer pause,
                 BooleanSupplier inPlace) {
        this.table = table;
        this.failures = failures;
        this.refused = refused;
        this.pause = pause;
        this.inPlace = inPlace;
    }

    /** Commits {@code records}; false only when {@code giveUp} says so between retries (shutdown deadline, crash). */
    boolean commit(List<LedgerRecord> records, BooleanSupplier giveUp) {
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            try {
                table.insert(records);
                if (!inPlace.getAsBoolean()) {
                    table.forgetIds();
                    // Checked after the insert: a file deleted before it or during it took this batch with it.
                    throw new IllegalStateException("the SQLite database file was deleted or replaced while the gateway "
                            + "runs: records stay in the journal; put the file back, or restart the gateway to replay them");
                }
                failures.success();
                return true;
            } catch (SQLException e) {
                if (RefusedRecords.isDataError(e)) {
                    if (records.size() > 1) {
                        return commitOneByOne(records, giveUp);
                    }
                    refused.setAside(records.getFirst(), e);
                    return true;
                }
                failures.failure("database", e);
            } catch (RuntimeException e) {
                failures.failure("database", e);
            }
            if (giveUp.getAsBoolean()) {
                return false;
            }
            pause.accept(backoff);
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        }
    }

    private boolean commitOneByOne(List<LedgerRecord> records, BooleanSupplier giveUp) {
        for (LedgerRecord r : records) {
            if (!commit(List.of(r), giveUp)) {
                return false;
            }
        }
        return true;
    }
}
