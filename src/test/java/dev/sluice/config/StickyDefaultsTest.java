package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sticky table's default size follows the heap (round 22: a fixed 100,000 took up to 31 MB of 192 MB). */
class StickyDefaultsTest {

    @Test
    void theDefaultSizeIsAFractionOfTheHeapWithinBounds() {
        assertThat(RoutingConfig.Sticky.defaultMaxEntries(192L << 20)).isEqualTo(49_152);
        assertThat(RoutingConfig.Sticky.defaultMaxEntries(16L << 20)).isEqualTo(10_000);
        assertThat(RoutingConfig.Sticky.defaultMaxEntries(4L << 30)).isEqualTo(100_000);
    }

    @Test
    void anOperatorsSizeStands() {
        assertThat(new RoutingConfig.Sticky(null, null, 250_000).maxEntries()).isEqualTo(250_000);
        assertThat(RoutingConfig.Sticky.defaults().maxEntries())
                .isEqualTo(RoutingConfig.Sticky.defaultMaxEntries(Runtime.getRuntime().maxMemory()));
    }
}
