package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every new conversation adds entries to the incremental guard's cache for an hour, so its bound is always reached on a
 * busy gateway: at ~130 bytes an entry it must fit the heap the gateway is given (200,000 a side was ~52 MB of 192).
 */
class IncrementalBoundTest {
    @Test
    void theCacheTakesASixteenthOfTheHeap() {
        assertThat(GuardStage.incrementalWeight(192L << 20)).isEqualTo(49_152);
        assertThat(GuardStage.incrementalWeight(192L << 20) * 2 * 130).isLessThanOrEqualTo((192L << 20) / 15);
        assertThat(GuardStage.incrementalWeight(1L << 30)).isEqualTo(200_000);
        assertThat(GuardStage.incrementalWeight(16L << 20)).isEqualTo(8_192);
        assertThat(GuardStage.INCREMENTAL_WEIGHT).isLessThanOrEqualTo(Math.max(8_192, Runtime.getRuntime().maxMemory() / 4096));
    }
}
