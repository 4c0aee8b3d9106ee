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
}
