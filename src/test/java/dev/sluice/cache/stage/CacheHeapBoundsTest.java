package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What every cacheable request leaves behind is bounded by the heap the gateway is given, not by a fixed count. */
class CacheHeapBoundsTest {
    @Test
    void requestsRememberedScaleWithTheHeap() {
        assertThat(AnswerSignals.remembered(192L << 20)).isEqualTo(32_768);
        assertThat(AnswerSignals.remembered(1L << 30)).isEqualTo(100_000);
        assertThat(AnswerSignals.remembered(16L << 20)).isEqualTo(8_192);
        assertThat((long) AnswerSignals.MAX_REMEMBERED).isLessThanOrEqualTo(Math.max(8_192, Runtime.getRuntime().maxMemory() / 6144));
    }

    /** The response cache fills with whatever callers ask: its in-process store takes at most a quarter of the heap. */
    @Test
    void theMemoryStoreTakesAtMostAQuarterOfTheHeap() {
        assertThat(CacheService.memoryBudget(64L << 20, 192L << 20)).isEqualTo(48L << 20);
        assertThat(CacheService.memoryBudget(64L << 20, 384L << 20)).isEqualTo(64L << 20);
        assertThat(CacheService.memoryBudget(8L << 20, 2L << 20)).isEqualTo(1L << 20);
    }
}
