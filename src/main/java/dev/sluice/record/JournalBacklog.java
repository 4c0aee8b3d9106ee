package dev.sluice.record;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads records back from the journal for the writer: an earlier run's segments at start, and what the intake spilled
 * past a full queue. A line that fails its checksum or format (a torn write from a host crash) is skipped, logged and
 * counted, never retried: it cannot become readable.
 */
final class JournalBacklog {
    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);

    /** The records read, and where the next read starts. */
    record Read(List<LedgerRecord> records, JournalPosition next) {
    }

    private final Journal journal;
    private final int max;
    private final AtomicLong corrupt = new AtomicLong();

    JournalBacklog(Journal journal, int max) {
        this.journal = journal;
        this.max = max;
    }

    /** Up to {@code max} records from {@code from}, not past {@code limit}. */
    Read read(JournalPosition from, JournalPosition limit) throws IOException {
        Journal.Read read = journal.read(from, limit, max);
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
        return new Read(records, read.next());
    }

    /** Lines skipped so far. */
    long corrupt() {
        return corrupt.get();
    }
}
