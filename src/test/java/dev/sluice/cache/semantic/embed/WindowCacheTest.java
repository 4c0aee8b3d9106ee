package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window cache holds no more bytes than it was given and never answers across partitions. */
class WindowCacheTest {
    @Test
    void boundedByBytes_andCounted() {
        long max = 100L * WindowCache.ENTRY_BYTES;
        WindowCache cache = new WindowCache(max);
        for (int i = 0; i < 1_000; i++) {
            cache.put(new WindowCache.Key("org:a", i, i), new float[MiniLmModel.DIMENSIONS]);
        }
        cache.cleanUp();
        WindowCache.Stats s = cache.stats();
        assertThat(s.bytes()).isLessThanOrEqualTo(max);
        assertThat(s.entries()).isBetween(50L, 100L);
        assertThat(s.evictions()).isGreaterThanOrEqualTo(900L);
    }

    @Test
    void aWindowCachedForOneScopeIsNotFoundForAnother() {
        WindowCache cache = new WindowCache(1L << 20);
        cache.put(new WindowCache.Key("org:a", 1, 2), new float[] {1});
        assertThat(cache.get(new WindowCache.Key("org:a", 1, 2))).isNotNull();
        assertThat(cache.get(new WindowCache.Key("org:b", 1, 2))).isNull();
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }
}
