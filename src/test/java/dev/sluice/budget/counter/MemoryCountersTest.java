package dev.sluice.budget.counter;

import org.junit.jupiter.api.BeforeEach;

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
}
