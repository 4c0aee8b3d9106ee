package dev.sluice.cache.normalise;

import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/** How many forwarded requests were normalised, and why the others were not, for {@code /metrics}. */
public final class NormaliseCounters {
    private final EnumMap<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);

    public NormaliseCounters() {
        for (Outcome o : Outcome.values()) {
            counts.put(o, new LongAdder());
        }
    }

    void count(Outcome o) {
        counts.get(o).increment();
    }

    public long get(Outcome o) {
        return counts.get(o).sum();
    }
}
