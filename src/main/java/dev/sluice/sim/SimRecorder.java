package dev.sluice.sim;

import java.util.ArrayDeque;
import java.util.List;

/**
 * What a {@link SimServer} received and what it billed. Thread-safe; keeps the most recent
 * {@link #CAPACITY} entries of each list, while {@link #totals()} covers everything since the last clear.
 */
public final class SimRecorder {

    /** Entries kept per list. */
    public static final int CAPACITY = 1_000;

    private final ArrayDeque<ReceivedRequest> received = new ArrayDeque<>();
    private final ArrayDeque<BilledUsage> billed = new ArrayDeque<>();
    private UsageTotals totals = UsageTotals.ZERO;

    /** Received requests, oldest first ({@code /_sim/*} control calls excluded). */
    public synchronized List<ReceivedRequest> received() {
        return List.copyOf(received);
    }

    /** Billed {@code /v1/messages} exchanges, oldest first, in the order they finished. */
    public synchronized List<BilledUsage> billed() {
        return List.copyOf(billed);
    }

    public synchronized UsageTotals totals() {
        return totals;
    }

    public synchronized void clear() {
        received.clear();
        billed.clear();
        totals = UsageTotals.ZERO;
    }

    synchronized void recordReceived(ReceivedRequest request) {
        if (received.size() == CAPACITY) {
            received.removeFirst();
        }
        received.addLast(request);
    }

    synchronized void recordBilled(BilledUsage usage) {
        if (billed.size() == CAPACITY) {
            billed.removeFirst();
        }
        billed.addLast(usage);
        totals = totals.plus(usage);
    }
}
