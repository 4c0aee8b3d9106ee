package dev.sluice.budget.counter;

/**
 * This replica's lease on one line, and what it serves from it. Guarded by its {@link TenantLeases}' lock.
 *
 * <pre>
 * granted   what Redis holds as this replica's lease (counted in the line's d, so in every replica's x)
 * inFlight  worst cases of the requests admitted from the lease and not settled
 * unsent    actual spend settled here and not yet sent to Redis
 * sending   spend in the flush that is out (Redis takes it out of the lease when it adds it to s)
 * room      granted − inFlight − unsent − sending: what the next request's worst case must fit in
 * </pre>
 */
final class LeaseLine {
    LineSpec spec;
    long granted;
    long inFlight;
    long inFlightEstimate;
    long unsent;
    long sending;
    long largestWorst;
    long lastUse;
    long nearUntil;
    long refreshedAt;
    /** Redis's numbers at the last flush or reserve: what standings show, plus this replica's own unsent spend. */
    long s;
    long r;
    long d;

    LeaseLine(LineSpec spec) {
        this.spec = spec;
    }

    long exposure() {
        return inFlight + unsent + sending;
    }

    long room() {
        return granted - exposure();
    }

    /** The line as a standing sees it: Redis's settled spend plus this replica's not yet sent, its reservations. */
    LineState state(boolean charged) {
        return new LineState(s + unsent + sending, r + inFlightEstimate, d, charged, 0);
    }
}
