package dev.sluice.cache;

import java.util.concurrent.atomic.LongAdder;

/** Running counts of what the cache did, for metrics and the benchmark. */
public final class CacheCounters {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder bypasses = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder storedShared = new LongAdder();
    private final LongAdder notStored = new LongAdder();
    private final LongAdder pinnedMisses = new LongAdder();
    private final LongAdder storeReadErrors = new LongAdder();
    private final LongAdder storeWriteErrors = new LongAdder();

    /**
     * A snapshot. {@code storeReadErrors}: lookups the store failed, timed out or answered with what could not be
     * replayed (each also a bypass); {@code storeWriteErrors}: answers the store failed to take (each also refused).
     */
    public record Counts(long hits, long misses, long bypasses, long stored, long storedShared, long notStored, long pinnedMisses,
                         long storeReadErrors, long storeWriteErrors) {
    }

    void decided(CacheDecision d) {
        switch (d) {
            case CacheDecision.Hit h -> hits.increment();
            case CacheDecision.Miss m -> misses.increment();
            case CacheDecision.Bypass b -> bypasses.increment();
        }
    }

    void pinnedMiss() {
        pinnedMisses.increment();
    }

    void storeReadError() {
        storeReadErrors.increment();
    }

    void storeWriteError() {
        storeWriteErrors.increment();
    }

    void captured(CacheCapture.Outcome o) {
        if (o.stored()) {
            stored.increment();
            if (o.shared()) {
                storedShared.increment();
            }
        } else {
            notStored.increment();
        }
    }

    public Counts counts() {
        return new Counts(hits.sum(), misses.sum(), bypasses.sum(), stored.sum(), storedShared.sum(), notStored.sum(),
                pinnedMisses.sum(), storeReadErrors.sum(), storeWriteErrors.sum());
    }
}
