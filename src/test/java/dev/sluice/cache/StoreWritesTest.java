package dev.sluice.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.store.RedisStore;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Redis that stops answering without closing (here paused for writes with {@code CLIENT PAUSE ... WRITE}, as a
 * SIGSTOP or a dropped network would leave it): before, every capture waited on its put until the connection dropped,
 * each holding its answer, and every new cacheable answer added one more. Now the bytes waiting are bounded and each
 * capture gives up after the put timeout; the store takes writes again once it answers.
 */
class StoreWritesTest {
    private static final byte[] PAYLOAD = new byte[10_000];

    @Test
    void aStalledRedisHoldsBoundedBytesAndEveryPutEnds() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = RedisServer.start()) {
            RedisStore store = RedisStore.create(vertx, redis.url());
            store.put(key(0), entry(), 0).await(5, TimeUnit.SECONDS); // connected and answering
            StoreWrites writes = new StoreWrites(50_000, 1_000);

            assertThat(redis.cli("CLIENT", "PAUSE", "4000", "WRITE")).isEqualTo("OK");
            int refused = 0;
            Future<?>[] puts = new Future<?>[20];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = writes.put(store, key(i + 1), entry(), 0);
                refused += puts[i].failed() && puts[i].cause() instanceof StoreWrites.Behind ? 1 : 0;
            }
            // 10 KB answers under a 50 KB bound: four wait (with their 256 bytes of overhead each), the rest are refused
            assertThat(refused).isEqualTo(16);
            assertThat(writes.pending()).isLessThanOrEqualTo(50_000);
            long started = System.nanoTime();
            for (Future<?> put : puts) {
                try {
                    put.await(3, TimeUnit.SECONDS);
                } catch (Exception expected) {
                    // refused, or timed out while Redis is paused: either way it ended
                }
                assertThat(put.isComplete()).isTrue();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("ended by the put timeout").isLessThan(2_500);

            assertThat(redis.cli("CLIENT", "UNPAUSE")).isEqualTo("OK");
            for (int i = 0; i < 100 && writes.pending() > 0; i++) {
                Thread.sleep(20);
            }
            assertThat(writes.pending()).as("released once the store answered").isZero();
            writes.put(store, key(99), entry(), 0).await(5, TimeUnit.SECONDS);
            assertThat(store.get(key(99)).await(5, TimeUnit.SECONDS).entry()).isNotNull();
        } finally {
            vertx.close().await();
        }
    }

    private static CacheEntry entry() {
        return new CacheEntry(CacheEntry.Form.MESSAGE, PAYLOAD, new int[0], "claude-opus-5-5", "end_turn", Usage.of(100, 20), Map.of(),
                System.currentTimeMillis(), System.currentTimeMillis() + 60_000);
    }

    private static StoreKey key(int n) {
        byte[] k = new byte[16];
        k[0] = (byte) n;
        return StoreKey.of("acme", "org", "", k);
    }
}
