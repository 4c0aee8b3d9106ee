package dev.sluice.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.entry.SecretWriteGuard;
import dev.sluice.cache.store.RedisStore;
import dev.sluice.testing.RedisServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two gateway replicas on one real Redis: Alice's answer stored by one is Bob's hit on the other, and never another org's. */
class ReplicasShareTest {
    @Test
    void anAnswerStoredByOneReplicaIsServedByAnother() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = RedisServer.start()) {
            RedisStore storeA = RedisStore.create(vertx, redis.url());
            RedisStore storeB = RedisStore.create(vertx, redis.url());
            ResponseCache a = ResponseCache.create(vertx, storeA, new SecretWriteGuard(), false).await();
            ResponseCache b = ResponseCache.create(vertx, storeB, new SecretWriteGuard(), false).await();
            byte[] alice = Captures.body("alice-turn1");
            CacheDecision miss = a.lookup(ResponseCacheTest.request(ResponseCacheTest.ALICE, alice)).await();
            CacheCapture capture = ((CacheDecision.Miss) miss).capture();
            ResponseCacheTest.aliceAnswer().forEach(capture::onEvent);
            assertThat(capture.finish(200).await().stored()).isTrue();

            CacheDecision hit = b.lookup(ResponseCacheTest.request(ResponseCacheTest.BOB, Captures.body("bob-turn1"))).await();
            assertThat(hit.status()).isEqualTo("hit");
            assertThat(Answers.text(((CacheDecision.Hit) hit).events())).contains("/home/bob/work/projects/calc").doesNotContain("alice");
            assertThat(b.lookup(ResponseCacheTest.request(ResponseCacheTest.MALLORY_OTHER_ORG, alice)).await().status()).isEqualTo("miss");
            a.bust("acme", "org", null).await();
            assertThat(b.lookup(ResponseCacheTest.request(ResponseCacheTest.BOB, Captures.body("bob-turn1"))).await().status())
                    .as("a bust on one replica holds on the other").isEqualTo("miss");
            assertThat(b.lookup(new CacheRequest(ResponseCacheTest.BOB, CachePolicy.defaults(), CacheControls.parse(MultiMap.caseInsensitiveMultiMap()),
                    alice, alice.length, List.of(), true)).await()).isInstanceOf(CacheDecision.Miss.class);
            storeA.close().await();
            storeB.close().await();
        } finally {
            vertx.close().await();
        }
    }

    /** Attack round 9 F11: after a Redis flush, a replica started later and the ones running before share entries again. */
    @Test
    void replicasFromBeforeAndAfterARedisFlushKeyAlikeAgain() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (RedisServer redis = RedisServer.start()) {
            RedisStore storeA = RedisStore.create(vertx, redis.url());
            ResponseCache a = ResponseCache.create(vertx, storeA, new SecretWriteGuard(), false).await();
            redis.cli("FLUSHALL");
            RedisStore storeB = RedisStore.create(vertx, redis.url());
            ResponseCache b = ResponseCache.create(vertx, storeB, new SecretWriteGuard(), false).await(); // a new secret
            assertThat(b.recheckSecret().await()).as("b keeps the secret it published").isFalse();
            assertThat(a.recheckSecret().await()).as("a adopts it").isTrue();

            byte[] alice = Captures.body("alice-turn1");
            CacheCapture capture = ((CacheDecision.Miss) a.lookup(ResponseCacheTest.request(ResponseCacheTest.ALICE, alice)).await())
                    .capture();
            ResponseCacheTest.aliceAnswer().forEach(capture::onEvent);
            assertThat(capture.finish(200).await().stored()).isTrue();
            assertThat(b.lookup(ResponseCacheTest.request(ResponseCacheTest.BOB, Captures.body("bob-turn1"))).await().status())
                    .isEqualTo("hit");
            storeA.close().await();
            storeB.close().await();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void aRedisThatIsGoneMakesLookupsBypassNotFail() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            RedisServer redis = RedisServer.start();
            RedisStore store = RedisStore.create(vertx, redis.url());
            ResponseCache cache = ResponseCache.create(vertx, store, new SecretWriteGuard(), false).await();
            redis.kill();
            CacheDecision d = cache.lookup(ResponseCacheTest.request(ResponseCacheTest.ALICE, Captures.body("alice-turn1"))).await();
            assertThat(d.status()).isEqualTo("bypass");
            assertThat(((CacheDecision.Bypass) d).reason()).contains("store unavailable");
            store.close().await();
        } finally {
            vertx.close().await();
        }
    }
}
