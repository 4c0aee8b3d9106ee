package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.ask;
import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.RedisServer;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways (replicas) on one real redis-server share the cache: an answer one stores the other serves, in
 * either form; a bust through one is seen by the other; and when Redis goes away requests bypass the cache
 * and are still answered. Without redis-server the test is skipped locally and fails under CI.
 */
class SharedRedisTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoReplicasShareEntriesAndBustsAndSurviveRedisGoingAway(@TempDir Path a, @TempDir Path b) throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String cache = "cache: {store: {kind: redis, url: \"" + redis.url() + "\", timeout: 2s}}\n";
            try (CacheGateway one = CacheGateway.start(a, cache)) {
                ConfigLoader loader = SluiceHarness.loader(one.harness().simUrl());
                String yaml = SluiceHarness.BASE_YAML + "admin: {keys: [{value: " + CacheGateway.ADMIN + ", role: write}]}\n"
                        + "store: {data-dir: \"" + b + "\"}\n" + cache;
                Gateway two = Gateway.start(loader.parse("two.yaml", yaml), null, loader).await();
                try {
                    awaitReady(one.gateway());
                    awaitReady(two);
                    replicasShare(one, two);
                    redis.kill();
                    HttpResponse<String> down = post(two, ask("shared across replicas", false));
                    assertThat(down.statusCode()).as("answered without the cache").isEqualTo(200);
                    assertThat(cacheStatus(down)).isEqualTo("bypass");
                } finally {
                    two.stop().await();
                }
            }
        }
    }

    private void replicasShare(CacheGateway one, Gateway two) throws Exception {
        String body = ask("shared across replicas", false);
        assertThat(cacheStatus(post(one.gateway(), body))).isEqualTo("miss");
        one.awaitCaptures(1);
        HttpResponse<String> fromTwo = post(two, body);
        assertThat(cacheStatus(fromTwo)).as("stored by one, served by two").isEqualTo("hit");
        HttpResponse<String> streamed = post(two, body.replace("\"stream\":false", "\"stream\":true"));
        assertThat(cacheStatus(streamed)).isEqualTo("hit");
        assertThat(streamed.body()).startsWith("event: message_start").contains("event: message_stop");
        assertThat(one.upstream().received()).hasSize(1);

        HttpResponse<String> bust = http.send(HttpRequest.newBuilder(URI.create(two.baseUrl() + "/admin/cache/bust"))
                .header("authorization", "Bearer " + CacheGateway.ADMIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"org\":\"-\",\"scope\":\"org\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bust.statusCode()).as(bust.body()).isEqualTo(200);
        assertThat(cacheStatus(post(one.gateway(), body))).as("busted through two, missed on one").isEqualTo("miss");
        one.awaitCaptures(2);
        assertThat(cacheStatus(post(two, body))).isEqualTo("hit");
    }

    private HttpResponse<String> post(Gateway g, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(Gateway g) throws InterruptedException {
        for (int i = 0; i < 200 && g.cache().cache() == null; i++) {
            Thread.sleep(25);
        }
        assertThat(g.cache().cache()).as("the cache connected to Redis").isNotNull();
    }
}
