package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SemanticSettingsTest {
    /** The indexes' budget is always reached in time (a new index per conversation): it must fit the heap given. */
    @Test
    void indexBudgetIsAnEighthOfTheHeapAtMost256MiB() {
        assertThat(SemanticSettings.defaultIndexBytes(384L << 20)).isEqualTo(48L << 20);
        assertThat(SemanticSettings.defaultIndexBytes(192L << 20)).isEqualTo(24L << 20);
        assertThat(SemanticSettings.defaultIndexBytes(8L << 30)).isEqualTo(256L << 20);
        assertThat(SemanticSettings.defaultIndexBytes(Long.MAX_VALUE)).isEqualTo(256L << 20);
        assertThat(SemanticSettings.defaultIndexBytes(4L << 20)).isEqualTo(1L << 20);
        assertThat(SemanticSettings.defaults().maxIndexBytes()).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / 8 + (1 << 20));
    }

    /** The transformer's window cache is always full on a busy gateway: a sixteenth of the heap, 4 to 64 MB. */
    @Test
    void windowCacheIsASixteenthOfTheHeap() {
        assertThat(SemanticMatchers.windowCacheBytes(384L << 20)).isEqualTo(24L << 20);
        assertThat(SemanticMatchers.windowCacheBytes(2L << 30)).isEqualTo(64L << 20);
        assertThat(SemanticMatchers.windowCacheBytes(32L << 20)).isEqualTo(4L << 20);
    }
}
