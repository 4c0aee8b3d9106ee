package dev.sluice.record;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's sync thread: every sync interval it fsyncs the journal while the journal holds bytes that are neither
 * synced nor committed, which bounds what a host crash can lose (the package documentation, step 2).
 */
final class JournalSync {
    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);

    private final Thread thread;

    /**
     * @param needed  whether records wait that the database does not have yet (the ledger is not caught up)
     * @param running false once the thread should stop: the writer is done, or the journal was abandoned
     */
    JournalSync(Journal journal, Duration interval, BooleanSupplier needed, BooleanSupplier running, WriteFailures failures) {
        long nanos = interval.toNanos();
        this.thread = Thread.ofPlatform().name("sluice-ledger-sync").daemon().unstarted(() -> {
            while (running.getAsBoolean()) {
                LockSupport.parkNanos(nanos);
                if (!running.getAsBoolean()) {
                    return;
                }
                if (journal.hasUnsynced() && needed.getAsBoolean()) {
                    try {
                        journal.sync();
                    } catch (IOException e) {
                        failures.note("journal sync: " + e);
                        log.warn("ledger: fsync of journal {} failed: {}", journal.dir(), e.toString());
                    }
                }
            }
        });
    }

    void start() {
        thread.start();
    }

    void join(Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
