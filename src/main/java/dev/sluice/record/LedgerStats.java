package dev.sluice.record;

/**
 * The ledger's health, for metrics and {@code /admin} pages.
 *
 * @param queueDepth      records held in memory waiting for the writer (bounded by the queue capacity), plus those
 *                        held because the journal could not take them (a full disk)
 * @param backlog         true while the writer is reading records back from the journal instead of memory
 *                        (the queue overflowed, or records from an earlier run are being replayed)
 * @param recordsAppended records accepted by {@code append} since start
 * @param recordsWritten  records committed to the database since start (replayed ones included; duplicates
 *                        ignored by ON CONFLICT count as written — they are in the database)
 * @param flushLagMillis  age of the oldest accepted record not yet committed; 0 when caught up
 * @param dropped         records accepted but neither journaled nor written; must stay 0
 * @param rejected        records the database refused as invalid data, set aside in {@code rejected.jnl} and logged
 * @param corrupt         journal lines skipped on read because their checksum failed (a torn write after a host crash)
 * @param journalBytes    bytes in journal segments not yet deleted
 * @param lastError       the last database error the writer saw, or null when the last write succeeded
 */
public record LedgerStats(long queueDepth, boolean backlog, long recordsAppended, long recordsWritten,
                          long flushLagMillis, long dropped, long rejected, long corrupt, long journalBytes,
                          String lastError) {
}
