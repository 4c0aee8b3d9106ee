package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import org.junit.jupiter.api.Test;

class UsageTest {

    /**
     * Web searches bill per request: an upstream reporting a hundred million of them was a $1M attempt that passed as
     * plausible (unflagged), and about 9,200 such records overflow the ledger's SUM, which breaks every spend report.
     */
    @Test
    void anAbsurdServerToolCountIsHeldAndFlagged() {
        Usage hostile = new Usage(10, 20, 0, 0, 0, 0, 100_000_000L, 100_000_000L);
        assertThat(hostile.plausible()).isFalse();
        Usage held = hostile.bounded();
        assertThat(held.webSearchRequests()).isEqualTo(Usage.MAX_TOOL_REQUESTS);
        assertThat(held.webFetchRequests()).isEqualTo(Usage.MAX_TOOL_REQUESTS);
        assertThat(held.inputTokens()).isEqualTo(10);
        // at most $100 of searches in one attempt
        assertThat(new Meter(PriceTable.builtIn()).cost("claude-opus-4-6", held).nanoUsd()).isLessThan(101_000_000_000L);
        assertThat(new Usage(0, 0, 0, 0, 0, 0, 250, 40).plausible()).isTrue();
    }
}
