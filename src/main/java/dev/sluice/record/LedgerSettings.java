package dev.sluice.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for {@link JournaledLedger}. The defaults suit one gateway on a small machine.
 *
 * @param journalDir      where journal segments live; must be local disk, one gateway per directory
 * @param queueCapacity   records kept in memory for the writer; beyond it the writer reads them back from the journal
 * @param batchSize       records per database transaction at most
 * @param syncInterval    how often unsynced, uncommitted journal bytes are fsynced: the bound on what a host crash can lose
 * @param segmentBytes    journal segment size that triggers rotation
 * @param shutdownTimeout how long {@code close()} keeps writing before leaving the rest to the next start's replay
 */
public record LedgerSettings(Path journalDir, int queueCapacity, int batchSize, Duration syncInterval,
                             long segmentBytes, Duration shutdownTimeout) {

    public LedgerSettings {
        Objects.requireNonNull(journalDir, "journalDir");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 1)");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: 1..10000)");
        }
        if (syncInterval == null || syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("syncInterval: " + syncInterval + " (expected: > 0, e.g. 10ms)");
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes: " + segmentBytes + " (expected: >= 4096)");
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout: " + shutdownTimeout + " (expected: >= 0)");
        }
    }

    /**
     * Journal in {@code <dataDir>/ledger-journal}, 10,000 records in memory, batches of 500, fsync every 25 ms:
     * a host crash (not a process crash: the page cache keeps those lines) loses at most the last 25 ms of records.
     * Every 10 ms cost a sixth of the ledger's CPU at 2,000 req/s (an fsync is ~0.1 ms of kernel time however little
     * it writes).
     */
    public static LedgerSettings defaults(Path dataDir) {
        return new LedgerSettings(dataDir.resolve("ledger-journal"), 10_000, 500, Duration.ofMillis(25),
                4L * 1024 * 1024, Duration.ofSeconds(10));
    }

    /** The fsync cadence ({@code store.journal-sync}): a power loss can cost the records of this long, a kill -9 none. */
    public LedgerSettings withSyncInterval(Duration interval) {
        return new LedgerSettings(journalDir, queueCapacity, batchSize, interval, segmentBytes, shutdownTimeout);
    }

    public LedgerSettings withQueueCapacity(int capacity) {
        return new LedgerSettings(journalDir, capacity, batchSize, syncInterval, segmentBytes, shutdownTimeout);
    }

    public LedgerSettings withSegmentBytes(long bytes) {
        return new LedgerSettings(journalDir, queueCapacity, batchSize, syncInterval, bytes, shutdownTimeout);
    }

    public LedgerSettings withShutdownTimeout(Duration timeout) {
        return new LedgerSettings(journalDir, queueCapacity, batchSize, syncInterval, segmentBytes, timeout);
    }
}
