package dev.sluice.budget.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCountersTest extends CounterContract {
    private static RedisServer redis;
    private static Vertx vertx;
    private RedisCounters store;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        vertx.close().await();
        redis.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        redis.cli("FLUSHALL");
        store = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(2));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    CounterStore store() {
        return store;
    }

    @Test
    void a_flushed_script_cache_is_reloaded_transparently() throws Exception {
        LineSpec l = line("noscript", 100, 1, 1);
        assertThat(reserve("a/1", T0, l).admitted()).isTrue();
        redis.cli("SCRIPT", "FLUSH");
        assertThat(reserve("b/1", T0, l).admitted()).isTrue();
        assertThat(store.read("t", T0, List.of(l)).await().getFirst().reserved()).isEqualTo(2);
    }

    @Test
    void every_key_carries_the_tenant_hash_tag() throws Exception {
        LineSpec l = line("tagged", 100, 1, 1);
        reserve("k/1", T0, l);
        settle("k/1", T0, l, 1);
        store.claim("t", "c", Duration.ofMinutes(1)).await();
        for (String key : redis.cli("KEYS", "*").split("\n")) {
            assertThat(key).startsWith("sluice:b:{t}:");
        }
    }

    @Test
    void rebuild_is_claimed_by_one_caller_until_marked() {
        assertThat(store.needsRebuild().await()).isTrue();
        assertThat(store.needsRebuild().await()).isFalse(); // another replica is rebuilding
        store.markRebuilt().await();
        assertThat(store.needsRebuild().await()).isFalse();
    }
}
