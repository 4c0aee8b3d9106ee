package dev.sluice.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Journal lines the journal could not take (its disk full, a write error), held in memory in append order until it
 * takes writes again. Dropping them would lose bills that the operator's freeing a little space would otherwise have
 * kept; holding them costs memory, so the hold is bounded by bytes and a record past the bound is dropped, loudly, as
 * before. A kill during the hold loses what is held: the in-memory window a full disk opens, and the reason to free
 * space quickly. Changed under the ledger's append lock only.
 */
final class HeldLines {
    /** About 50,000 records of ~600 bytes: minutes of a busy gateway's traffic. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final ArrayDeque<ByteBuffer> lines = new ArrayDeque<>();
    private final long maxBytes;
    private long bytes;
    private volatile long sinceNanos;
    /** The number held, readable without the lock (stats). */
    private volatile int count;

    HeldLines(long maxBytes) {
        this.maxBytes = maxBytes;
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

    /** Holds {@code line}; false when the hold is full (the caller drops it). */
    boolean hold(ByteBuffer line, long appendNanos) {
        if (bytes + line.limit() > maxBytes) {
            return false;
        }
        if (lines.isEmpty()) {
            sinceNanos = appendNanos;
        }
        lines.addLast(line);
        bytes += line.limit();
        count = lines.size();
        return true;
    }

    /** Forgets every held line (a close that could not write them, after counting them lost). */
    void clear() {
        lines.clear();
        bytes = 0;
        count = 0;
    }

    /**
     * Writes the held lines to {@code journal} in order, stopping at the first that fails (it and the rest stay held).
     * Returns how many were written; the journal cuts a failed write back, so no half line is left behind.
     */
    int writeTo(Journal journal) {
        int written = 0;
        while (!lines.isEmpty()) {
            ByteBuffer line = lines.peekFirst();
            try {
                journal.write(line);
            } catch (IOException e) {
                return written;
            }
            lines.pollFirst();
            bytes -= line.limit();
            count = lines.size();
            written++;
        }
        return written;
    }
}
