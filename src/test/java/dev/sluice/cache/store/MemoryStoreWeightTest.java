package dev.sluice.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.entry.CacheEntry;
import org.junit.jupiter.api.Test;

/** An entry weighs its key's strings too: a caller's long namespace is held once per entry. */
class MemoryStoreWeightTest {

    @Test
    void aLongNamespaceWeighsWhatItHolds() {
        CacheEntry tiny = RedisStoreTest.entry(Long.MAX_VALUE, 1);
        MemoryStore shortNames = new MemoryStore(64L << 20);
        MemoryStore longNames = new MemoryStore(64L << 20);
        for (int i = 0; i < 100; i++) {
            shortNames.put(RedisStoreTest.key("acme", "n", i), tiny, 0).await();
            longNames.put(RedisStoreTest.key("acme", "n".repeat(128), i), tiny, 0).await();
        }
        assertThat(longNames.stats().entries()).isEqualTo(100);
        assertThat(longNames.stats().bytes() - shortNames.stats().bytes()).as("127 more characters in each of 100 keys")
                .isGreaterThanOrEqualTo(100L * 127);
    }
}
