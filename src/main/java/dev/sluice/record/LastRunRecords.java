package dev.sluice.record;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, once at open and before the writer starts, the newest records an earlier run left in the journal: the ones it
 * appended in its last {@link #WINDOW} (by the newest record's time). A killed run's journal still holds its live
 * segment, committed or not, so these are what it did just before it died. The budget counters want them: a replica
 * that settles into a lease sends the spend to Redis with its next flush, and a kill loses what that flush had not sent
 * (the ledger has every record; Redis, kept across the kill and never rebuilt, does not).
 */
final class LastRunRecords {
    private static final Logger LOG = LoggerFactory.getLogger(LastRunRecords.class);
    /** Longer than a lease's life (30 s by default): spend a live replica holds back is sent within it, or the lease lapses. */
    static final Duration WINDOW = Duration.ofSeconds(60);
    /** Read at most this much journal (a backlog from a long database outage is not read twice at the start). */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    /** Kept at most (the newest). */
    static final int MAX_RECORDS = 20_000;

    private LastRunRecords() {
    }

    static List<LedgerRecord> read(Journal journal, Duration window) {
        if (journal.bytes() > MAX_BYTES) {
            LOG.warn("ledger: the journal an earlier run left holds {} bytes; its last minute is not read for the budget "
                    + "counters (spend it had not yet sent to Redis is counted when the counters are next rebuilt)", journal.bytes());
            return List.of();
        }
        Deque<LedgerRecord> newest = new ArrayDeque<>();
        try {
            JournalPosition at = journal.start();
            JournalPosition end = journal.end();
            while (at.isBefore(end)) {
                Journal.Read read = journal.read(at, end, 1_000);
                for (byte[] payload : read.payloads()) {
                    try {
                        newest.addLast(JournalCodec.decode(payload, 0, payload.length));
                    } catch (IllegalArgumentException e) {
                        continue; // the replay logs it
                    }
                    if (newest.size() > MAX_RECORDS) {
                        newest.removeFirst();
                    }
                }
                if (!read.next().isBefore(end) || read.next().equals(at)) {
                    break;
                }
                at = read.next();
            }
        } catch (IOException e) {
            LOG.warn("ledger: the journal an earlier run left could not be read for the budget counters: {}", e.toString());
            return List.of();
        }
        Instant last = newest.stream().map(LedgerRecord::time).max(Instant::compareTo).orElse(Instant.EPOCH);
        Instant from = last.minus(window);
        List<LedgerRecord> out = new ArrayList<>();
        for (LedgerRecord r : newest) {
            if (!r.time().isBefore(from)) {
                out.add(r);
            }
        }
        return out;
    }
}
