package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static dev.sluice.cache.stage.SemanticEndToEndTest.turn;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways (replicas) with the semantic cache on, sharing one real redis-server: a question one stored is found
 * by meaning on the other (loaded on its first lookup there), a thumbs-down on the other raises the entry's
 * threshold on the first, a bust through one stops the other serving the busted answers by meaning, and with Redis
 * gone requests are still answered. Tenants are kept apart in {@code RedisVectorShareTest}.
 */
class SemanticSharedRedisTest {
    private static final String KEY = SluiceHarness.GATEWAY_KEY;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void replicasFindEachOthersQuestionsByMeaningAndSeeVerdictsAndBusts(@TempDir Path a, @TempDir Path b) throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String section = "cache:\n  store: {kind: redis, url: \"" + redis.url() + "\", timeout: 2s}\n"
                    + "  semantic: {mode: on, max-wait: 5s, table-dir: \""
                    + Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test") + "\"}\n";
            try (CacheGateway one = CacheGateway.start(a, section)) {
                ConfigLoader loader = SluiceHarness.loader(one.harness().simUrl());
                String yaml = SluiceHarness.BASE_YAML + "admin: {keys: [{value: " + CacheGateway.ADMIN + ", role: write}]}\n"
                        + "store: {data-dir: \"" + b + "\"}\n" + section;
                Gateway two = Gateway.start(loader.parse("two.yaml", yaml), null, loader).await();
                try {
                    SemanticService sa = one.gateway().cache().semantic();
                    SemanticService sb = two.cache().semantic();
                    await("both models open and subscribed", () -> sa.share() != null && sa.share().connected()
                            && sb.share() != null && sb.share().connected());

                    // 1. Stored on one, found by meaning on two; the answer is one's, no second upstream call.
                    String question = turn("shared-1", "How do I run the integration tests for the billing module?");
                    String para = turn("shared-1", "How do I run the integration tests for the billing module, please?");
                    assertThat(cacheStatus(post(one.gateway(), question))).isEqualTo("miss");
                    one.awaitCaptures(1);
                    await("indexed on one", () -> sa.stats().indexedQuestions() >= 1);
                    HttpResponse<String> hit = post(two, para);
                    assertThat(cacheStatus(hit)).as("one's entry found by meaning on two").isEqualTo("semantic");
                    assertThat(one.upstream().received()).hasSize(1);

                    // 2. A thumbs-down on two's semantic answer raises the entry's threshold on one as well.
                    HttpResponse<String> down = feedback(two, hit.headers().firstValue("request-id").orElseThrow());
                    assertThat(down.statusCode()).as(down.body()).isEqualTo(200);
                    await("the verdict reached one", () -> sa.share().verdictsApplied() >= 1);
                    assertThat(cacheStatus(post(one.gateway(), para))).as("one no longer serves it for that wording").isEqualTo("miss");

                    // 3. A bust through one: two stops serving the busted answer by meaning.
                    String q3 = turn("shared-3", "Where is the retry budget for outgoing webhooks set?");
                    assertThat(cacheStatus(post(two, q3))).isEqualTo("miss");
                    await("indexed on two", () -> sb.stats().indexedQuestions() >= 1);
                    String p3 = turn("shared-3", "Where is the retry budget for outgoing webhooks set, please?");
                    assertThat(cacheStatus(post(one.gateway(), p3.replace("please?", "please? ")))).as("before the bust")
                            .isEqualTo("semantic");
                    bust(one.gateway());
                    assertThat(cacheStatus(post(two, p3))).as("busted through one, not served by meaning on two").isEqualTo("miss");

                    // 4. Redis gone: answered, the semantic path degrades to local, never an error.
                    redis.kill();
                    HttpResponse<String> gone = post(two, turn("shared-4", "What does the session middleware do?"));
                    assertThat(gone.statusCode()).isEqualTo(200);
                    await("two noticed", () -> !sb.share().connected());
                    assertThat(post(one.gateway(), turn("shared-4", "What does the session middleware do, please?")).statusCode())
                            .isEqualTo(200);
                } finally {
                    two.stop().await();
                }
            }
        }
    }

    private HttpResponse<String> post(Gateway g, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("x-api-key", KEY).header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> feedback(Gateway g, String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/sluice/v1/feedback")).header("x-api-key", KEY)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"request_id\":\"" + requestId + "\",\"rating\":\"down\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void bust(Gateway g) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + "/admin/cache/bust"))
                .header("authorization", "Bearer " + CacheGateway.ADMIN).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"org\":\"-\",\"scope\":\"org\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!ok.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ok.getAsBoolean()).as(what).isTrue();
    }
}
