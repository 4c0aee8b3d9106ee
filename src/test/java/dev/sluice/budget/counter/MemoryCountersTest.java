package dev.sluice.budget.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryCountersTest extends CounterContract {
    private MemoryCounters store;

    @BeforeEach
    void fresh() {
        store = new MemoryCounters();
    }

    @Override
    CounterStore store() {
        return store;
    }

    /**
     * Every settle leaves a marker for a day; a busy gateway makes a million of them in minutes (~144 MB). The markers
     * kept stay within {@code 100,000} (plus the calls between two sweeps), whether or not reserves come between.
     */
    @Test
    void settleMarkersStayBounded() {
        LineSpec spec = new LineSpec("b:org:acme:monthly", -1, 0, 0, 0, 0, 3_600_000, 0);
        long now = 1_000_000;
        for (int i = 0; i < 130_000; i++) {
            store.settle(new SettleCall("acme", "req_" + i + "/1", now, List.of(spec), List.of(5L)));
        }
        assertThat(store.sizes()[2]).isLessThanOrEqualTo(100_000 + 4096);
        // the newest markers are the ones kept: a repeated settle of a recent attempt still counts once
        long before = store.read("acme", now, List.of(spec)).result().getFirst().settled();
        store.settle(new SettleCall("acme", "req_129999/1", now, List.of(spec), List.of(5L)));
        assertThat(store.read("acme", now, List.of(spec)).result().getFirst().settled()).isEqualTo(before);
    }

    /** A pool's rebalanced shares are written once per window; past their time to live they are swept, not kept for good. */
    @Test
    void writeOnceMapsAreForgottenAfterTheirTimeToLive() {
        store.writeMapOnce("acme", "pool:pay:pay:2026-11", java.util.Map.of("ana", 1L), java.time.Duration.ofMillis(1));
        assertThat(store.readMap("acme", "pool:pay:pay:2026-11").result()).containsEntry("ana", 1L);
        LineSpec spec = new LineSpec("b:org:acme:monthly", -1, 0, 0, 0, 0, 3_600_000, 0);
        long later = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < 5_000; i++) { // a sweep comes every 4,096 calls
            store.settle(new SettleCall("acme", "sweep_" + i + "/1", later, List.of(spec), List.of(1L)));
        }
        assertThat(store.readMap("acme", "pool:pay:pay:2026-11").result()).isEmpty();
    }
}
