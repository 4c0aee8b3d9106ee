package dev.sluice.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.Answers;
import dev.sluice.cache.entry.AnswerTemplater;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.Bindings;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.Usage;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis store against a real redis-server: two replicas (two clients) share entries, secrets and busts. */
class RedisStoreTest {
    static final Vertx VERTX = Vertx.vertx();
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        VERTX.close().await();
    }

    static CacheEntry entry(long expiresAt, int textLength) {
        AnswerTemplater.Templated t = AnswerTemplater.stream(Answers.stream("end_turn", Answers.text("z".repeat(textLength))), Bindings.NONE);
        return new CacheEntry(CacheEntry.Form.STREAM, t.payload(), t.eventEnds(), "claude-opus-5-5", "end_turn",
                Usage.of(100, 20), Map.of(), System.currentTimeMillis(), expiresAt);
    }

    static StoreKey key(String org, String ns, int n) {
        byte[] k = new byte[16];
        k[0] = (byte) n;
        return StoreKey.of(org, "org", ns, k);
    }

    @Test
    void replicasShareEntriesSecretsAndBusts() {
        RedisStore a = RedisStore.create(VERTX, redis.url());
        RedisStore b = RedisStore.create(VERTX, redis.url());
        try {
            assertThat(a.secret().await()).isEqualTo(b.secret().await());
            StoreKey k = key("acme", "", 1);
            CacheStore.Found before = b.get(k).await();
            assertThat(before.entry()).isNull();
            CacheEntry e = entry(System.currentTimeMillis() + 60_000, 20_000);
            a.put(k, e, before.generation()).await();
            CacheEntry got = b.get(k).await().entry();
            assertThat(got).isNotNull();
            assertThat(got.payload()).isEqualTo(e.payload());
            assertThat(b.get(key("other-org", "", 1)).await().entry()).as("other org, same request key").isNull();
            assertThat(b.get(key("acme", "sha-1", 1)).await().entry()).as("other namespace").isNull();

            a.bust("acme", "org", null).await();
            CacheStore.Found afterBust = b.get(k).await();
            assertThat(afterBust.entry()).isNull();
            assertThat(afterBust.generation()).isNotEqualTo(before.generation());
            b.put(k, e, before.generation()).await(); // a capture that started before the bust
            assertThat(a.get(k).await().entry()).isNull();
            b.put(k, e, afterBust.generation()).await();
            assertThat(a.get(k).await().entry()).isNotNull();
            StoreKey ns = key("acme", "sha-2", 2);
            a.put(ns, e, a.get(ns).await().generation()).await();
            assertThat(b.get(ns).await().entry()).isNotNull();
            b.bust("acme", "org", "sha-2").await();
            assertThat(a.get(ns).await().entry()).isNull();
            assertThat(a.get(k).await().entry()).as("another namespace's bust leaves this one").isNotNull();
        } finally {
            a.close().await();
            b.close().await();
        }
    }

    /** Attack round 9 F11: a bust holds even when its generation counter is later evicted or lost in a failover. */
    @Test
    void aBustedEntryStaysGoneWhenTheGenerationCounterIsLost() throws Exception {
        RedisStore a = RedisStore.create(VERTX, redis.url());
        try {
            StoreKey k = key("evict-org", "ns-1", 7);
            StoreKey other = key("evict-org", "ns-2", 8);
            CacheEntry e = entry(System.currentTimeMillis() + 60_000, 100);
            a.put(k, e, a.get(k).await().generation()).await();
            a.put(other, e, a.get(other).await().generation()).await();
            a.bust("evict-org", "org", "ns-1").await();
            for (String g : redis.cli("--scan", "--pattern", "sluice:cache:*:g:*").split("\n")) {
                if (!g.isBlank()) {
                    redis.cli("DEL", g.strip());
                }
            }
            assertThat(a.get(k).await().entry()).as("busted, its counter gone").isNull();
            assertThat(a.get(other).await().entry()).as("another namespace keeps its entry").isNotNull();
        } finally {
            a.close().await();
        }
    }

    @Test
    void entriesExpireInRedisToo() throws Exception {
        RedisStore a = RedisStore.create(VERTX, redis.url());
        try {
            StoreKey k = key("acme", "ttl", 3);
            a.put(k, entry(System.currentTimeMillis() + 300, 10), a.get(k).await().generation()).await();
            assertThat(a.get(k).await().entry()).isNotNull();
            Thread.sleep(400);
            assertThat(a.get(k).await().entry()).isNull();
        } finally {
            a.close().await();
        }
    }

    @Test
    void aDeadRedisFailsLookupsAndTheNextOneReconnects() throws Exception {
        RedisServer own = RedisServer.start();
        RedisStore a = RedisStore.create(VERTX, own.url());
        StoreKey k = key("acme", "", 4);
        assertThat(a.get(k).await().entry()).isNull();
        own.kill();
        assertThat(a.get(k).otherwise(e -> null).await()).isNull();
        a.close().await();
    }
}
