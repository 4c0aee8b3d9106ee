package dev.sluice.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's write side when it may fail: lines the journal could not take (its disk full, a write error) are held
 * in memory in append order and journaled, before any newer line, as soon as a write succeeds. Dropping them would
 * lose bills that freeing a little disk space would otherwise have kept; holding them costs memory, so the hold is
 * bounded by bytes, and a line past the bound is refused (the caller counts it lost, loudly). A kill during the hold
 * loses what is held, which is why {@link Ledger#holding()} tells the in-flight slots to keep their copies meanwhile.
 * Changed under the ledger's append lock only; the counts are readable from any thread.
 */
final class HeldLines {
    /** About 50,000 records of ~600 bytes: minutes of a busy gateway's traffic. */
    static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(JournaledLedger.class);

    /** Thrown when a line can be neither journaled nor held. */
    static final class Full extends IOException {
        Full(IOException cause) {
            super("the journal cannot be written and " + (MAX_BYTES >> 20) + " MiB of records already wait in memory", cause);
        }
    }

    private final ArrayDeque<ByteBuffer> lines = new ArrayDeque<>();
    private final long maxBytes;
    private final LongConsumer journaled;
    private long bytes;
    private volatile long sinceNanos;
    private volatile int count;

    /** @param journaled told, with the oldest one's append time, when held lines reach the journal (not the queue) */
    HeldLines(long maxBytes, LongConsumer journaled) {
        this.maxBytes = maxBytes;
        this.journaled = journaled;
    }

    /**
     * Writes {@code line} to {@code journal} after any held lines; returns its position, or null when it is held.
     *
     * @throws Full when it can be neither written nor held
     */
    JournalPosition append(Journal journal, ByteBuffer line, long appendNanos) throws Full {
        if (count > 0 && !writeTo(journal)) {
            hold(journal, line, appendNanos, null); // behind the lines held before it: the journal keeps append order
            return null;
        }
        try {
            return journal.write(line);
        } catch (IOException e) {
            hold(journal, line, appendNanos, e);
            return null;
        }
    }

    private void hold(Journal journal, ByteBuffer line, long appendNanos, IOException cause) throws Full {
        if (bytes + line.limit() > maxBytes) {
            throw new Full(cause);
        }
        if (lines.isEmpty()) {
            sinceNanos = appendNanos;
            log.error("ledger: cannot write the journal in {} ({}); records are held in memory (up to {} MiB) and "
                    + "journaled once it takes writes again: free disk space", journal.dir(), cause, maxBytes >> 20);
        }
        lines.addLast(line);
        bytes += line.limit();
        count = lines.size();
    }

    /**
     * Writes the held lines to {@code journal} in order, stopping at the first that fails (it and the rest stay held;
     * the journal cuts a failed write back, so no half line is left). True when none is left.
     */
    boolean writeTo(Journal journal) {
        int before = count;
        long since = sinceNanos;
        while (!lines.isEmpty()) {
            ByteBuffer line = lines.peekFirst();
            try {
                journal.write(line);
            } catch (IOException e) {
                break;
            }
            lines.pollFirst();
            bytes -= line.limit();
            count = lines.size();
        }
        if (count < before) {
            journaled.accept(since);
            log.info("ledger: the journal in {} takes writes again: {} held record(s) journaled, {} still held",
                    journal.dir(), before - count, count);
        }
        return count == 0;
    }

    /** Any thread. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Any thread. */
    int size() {
        return count;
    }

    /** When the oldest held line was appended, for the flush lag; meaningless when empty. Any thread. */
    long sinceNanos() {
        return sinceNanos;
    }

    /**
     * At close: writes what the journal takes and forgets the rest, so the writer does not wait out its shutdown
     * deadline for them. Returns how many were lost (logged).
     */
    int lastTry(Journal journal) {
        if (count == 0 || writeTo(journal)) {
            return 0;
        }
        int lost = count;
        log.error("ledger: closing with {} record(s) the journal in {} could not take (disk full?): they are lost", lost,
                journal.dir());
        lines.clear();
        bytes = 0;
        count = 0;
        return lost;
    }
}
