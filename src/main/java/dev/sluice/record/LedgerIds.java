package dev.sluice.record;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;

/**
 * Which request ids a SQLite ledger may already hold, so that {@link RollupTable#prepare} reads back only those
 * instead of every id of every batch (a 500-placeholder statement compiled and run per commit, a tenth of the
 * writer's CPU). Exact only because this writer is the SQLite ledger's one writer (the journal's lock admits one
 * gateway per data directory, and nothing else inserts ledger rows): every id the ledger holds is either at most
 * {@link #floor} (the ledger's largest id when last read, or an id let go from the recent set) or one this writer
 * committed since, kept in the recent set. An id above the floor and not in the set is in no ledger row. Request ids
 * sort by time, so the floor follows the traffic and the set stays bounded; an attempt of a request older than the set
 * is simply read back. PostgreSQL ledgers can be shared by replicas: no such knowledge there.
 *
 * <p>After any failed or doubtful commit the floor is forgotten and read again ({@code MAX(request_id)}, the last
 * entry of the primary key) in the next batch's transaction, which covers whatever that commit did or did not leave.
 * Only the writer thread uses it.
 */
final class LedgerIds {
    static final int CAPACITY = 16_384;

    private final int capacity;
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private final HashSet<String> recent = new HashSet<>();
    /** Every ledger id not in {@link #recent} sorts at or below it; null when it must be read again. */
    private String floor;

    LedgerIds(int capacity) {
        this.capacity = capacity;
    }

    /** Whether the floor must be read from the ledger before {@link #mayHold} can answer. */
    boolean unknown() {
        return floor == null;
    }

    /** The ledger's largest request id, read in the writing transaction (null: an empty ledger). */
    void readFloor(String largest) {
        floor = largest == null ? "" : largest;
    }

    /** False only when no ledger row has {@code id}. */
    boolean mayHold(String id) {
        return floor == null || id.compareTo(floor) <= 0 || recent.contains(id);
    }

    /** {@code ids} are in the ledger now (their transaction committed). */
    void committed(List<String> ids) {
        if (floor == null) {
            return; // a commit that no floor covers: the next batch reads it again anyway
        }
        for (String id : ids) {
            if (id.compareTo(floor) > 0 && recent.add(id)) {
                order.addLast(id);
            }
        }
        while (order.size() > capacity) {
            String old = order.removeFirst();
            recent.remove(old);
            if (old.compareTo(floor) > 0) {
                floor = old; // it leaves the set, so the floor must cover it
            }
        }
    }

    /** A commit failed or is in doubt: what the ledger holds is no longer known here. */
    void forget() {
        floor = null;
    }
}
