package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The operator is told when the heap is too small for the semantic cache (the launcher's default 192 MB is). */
class SemanticHeapAdviceTest {
    @Test
    void theLaunchersDefaultHeapGetsAdviceAndAnAmpleOneDoesNot() {
        assertThat(SemanticService.heapAdvice(192L << 20)).contains("192 MB").contains("SLUICE_HEAP=384m");
        assertThat(SemanticService.heapAdvice(SemanticService.MIN_HEAP_BYTES)).isNull();
        assertThat(SemanticService.heapAdvice(2L << 30)).isNull();
    }

    /** New conversations fill the indexes' budget in time: the default 256 MB at a 384 MB heap ended in OutOfMemoryError. */
    @Test
    void theIndexesTakeAtMostAnEighthOfTheHeap() {
        assertThat(SemanticService.indexBudget(256L << 20, 384L << 20)).isEqualTo(48L << 20);
        assertThat(SemanticService.indexBudget(32L << 20, 384L << 20)).isEqualTo(32L << 20);
        assertThat(SemanticService.indexBudget(256L << 20, 2L << 30)).isEqualTo(256L << 20);
        assertThat(SemanticService.indexBudget(8L << 20, 2L << 20)).isEqualTo(1L << 20);
    }
}
