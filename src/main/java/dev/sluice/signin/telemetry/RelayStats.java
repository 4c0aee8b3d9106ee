package dev.sluice.signin.telemetry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what happened to client telemetry, for the operator's metrics and for tests. */
public final class RelayStats {
    /** Why a client's export went nowhere, or did not reach one collector. */
    public enum Outcome {
        /** Reached a collector, which accepted it. */
        RELAYED,
        /** No collector is configured: accepted and dropped by design. */
        NO_COLLECTOR,
        /** The bearer is not a live sign-in: accepted and dropped, never relayed for an unknown caller. */
        UNAUTHENTICATED,
        /** Past its developer's {@code per-developer-per-minute}. */
        RATE_LIMITED,
        /** Larger than {@code max-body}. */
        TOO_LARGE,
        /** Not the OTLP protobuf or JSON it claimed to be (or another content type). */
        MALFORMED,
        /** The collector's breaker is open. */
        BREAKER_OPEN,
        /** The collector already has {@code max-in-flight} relays under way. */
        BUSY,
        /** The collector failed: connection error, timeout, 429 or 5xx (counts toward its breaker). */
        FAILED,
        /** The collector refused it with another 4xx (does not count toward its breaker). */
        REJECTED
    }

    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private final LongAdder received = new LongAdder();

    RelayStats() {
        for (Outcome o : Outcome.values()) {
            counts.put(o, new LongAdder());
        }
    }

    void addReceived() {
        received.increment();
    }

    void add(Outcome o) {
        counts.get(o).increment();
    }

    /** Exports received from clients. */
    public long received() {
        return received.sum();
    }

    public long count(Outcome o) {
        return counts.get(o).sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("received=").append(received());
        counts.forEach((k, v) -> sb.append(' ').append(k.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(v.sum()));
        return sb.toString();
    }
}
