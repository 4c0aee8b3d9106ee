package dev.sluice.record;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger writer's failures, told once and then every 30 s (a database outage must not flood the log), and the
 * last error for {@link LedgerStats#lastError()}, cleared by the next success.
 */
final class WriteFailures {
    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Path journalDir;
    private volatile String lastError;
    private long sinceSuccess;
    private long lastLogNanos;

    WriteFailures(Path journalDir) {
        this.journalDir = journalDir;
    }

    /** Writer thread only. */
    void success() {
        if (sinceSuccess > 0) {
            log.info("ledger: database writes recovered after {} failed attempt(s)", sinceSuccess);
        }
        sinceSuccess = 0;
        lastError = null;
    }

    /** Writer thread only. */
    void failure(String what, Throwable e) {
        sinceSuccess++;
        lastError = what + ": " + e;
        long now = System.nanoTime();
        if (sinceSuccess == 1 || now - lastLogNanos >= LOG_EVERY_NANOS) {
            lastLogNanos = now;
            log.warn("ledger: {} write failed ({} attempt(s) so far); records are safe in the journal {} and will be "
                    + "retried: {}", what, sinceSuccess, journalDir, e.toString());
        }
    }

    /** Any thread: a failure that is not a write attempt (the sync thread's fsync). */
    void note(String error) {
        lastError = error;
    }

    String lastError() {
        return lastError;
    }
}
