package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.ask;
import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 28: when Redis goes away mid-request the answer still comes from upstream, and /metrics says the store
 * failed, apart from the bypasses a caller or a route asks for (before, a failed read was only one more
 * {@code result="bypass"} and a failed write one more {@code outcome="refused"}, so an operator could not alert on it).
 */
class StoreErrorsMetricsTest {
    @TempDir
    Path data;

    @Test
    void redisGoingAwayMidRequestIsAnsweredAndCountedAsStoreErrors() throws Exception {
        try (RedisServer redis = RedisServer.start();
             CacheGateway gw = CacheGateway.start(data, "cache: {store: {kind: redis, url: \"" + redis.url() + "\"}}\n")) {
            for (int i = 0; i < 200 && gw.gateway().cache().cache() == null; i++) {
                Thread.sleep(25);
            }
            String key = gw.key("acme", "payments", "ana");
            String stored = ask("stored before Redis went away (store errors)", false);
            assertThat(cacheStatus(gw.post(key, stored))).isEqualTo("miss");
            gw.awaitCaptures(1);
            assertThat(cacheStatus(gw.post(key, stored))).isEqualTo("hit");

            // Looked up while Redis is there, answered slowly, stored after Redis went away.
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(
                    () -> gw.post(key, ask("answered while Redis went away (store errors)", true), "x-sim-ttft-ms", "1500"));
            Thread.sleep(600);
            redis.kill();
            HttpResponse<String> during = slow.get();
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(cacheStatus(during)).isEqualTo("miss");
            assertThat(during.body()).contains("event: message_stop");
            gw.awaitCaptures(2);

            HttpResponse<String> after = gw.post(key, stored);
            assertThat(after.statusCode()).as("answered from upstream, never a 5xx of ours").isEqualTo(200);
            assertThat(cacheStatus(after)).isEqualTo("bypass");

            assertThat(gw.counts().storeWriteErrors()).isEqualTo(1);
            assertThat(gw.counts().storeReadErrors()).isEqualTo(1);
            String metrics = gw.get("/metrics", key).body();
            assertThat(metrics).contains("sluice_cache_store_errors_total{op=\"read\"} 1.0")
                    .contains("sluice_cache_store_errors_total{op=\"write\"} 1.0");
        }
    }

    /**
     * A Redis that stops answering without closing (writes paused, as a SIGSTOP or a dropped network leaves it): the
     * capture's put waited until the connection dropped, holding the answer and counting in {@code storing()}; now it
     * gives up after the put timeout (twenty lookup timeouts, at least a second) and counts a store write error.
     */
    @Test
    void aStalledRedisEndsTheCaptureAfterThePutTimeout() throws Exception {
        try (RedisServer redis = RedisServer.start();
             CacheGateway gw = CacheGateway.start(data, "cache: {store: {kind: redis, url: \"" + redis.url() + "\"}}\n")) {
            for (int i = 0; i < 200 && gw.gateway().cache().cache() == null; i++) {
                Thread.sleep(25);
            }
            String key = gw.key("acme", "payments", "ana");
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(
                    () -> gw.post(key, ask("answered while Redis stalls (store errors)", false), "x-sim-ttft-ms", "800"));
            Thread.sleep(300); // looked up while Redis answers
            assertThat(redis.cli("CLIENT", "PAUSE", "8000", "WRITE")).isEqualTo("OK");
            HttpResponse<String> during = slow.get();
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(cacheStatus(during)).isEqualTo("miss");
            long started = System.nanoTime();
            for (int i = 0; i < 200 && !(gw.counts().storeWriteErrors() == 1 && gw.gateway().cache().storing() == 0); i++) {
                Thread.sleep(25);
            }
            assertThat(gw.gateway().cache().storing()).as("the capture ended while Redis still stalls").isZero();
            assertThat(gw.counts().storeWriteErrors()).isEqualTo(1);
            assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
            redis.cli("CLIENT", "UNPAUSE");
        }
    }
}
