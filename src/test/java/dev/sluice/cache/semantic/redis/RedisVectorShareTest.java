package dev.sluice.cache.semantic.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.LookupRequest;
import dev.sluice.cache.semantic.Match;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.SemanticMatchers;
import dev.sluice.cache.semantic.SemanticSettings;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.StoredEntry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas sharing semantic entries through a real redis-server started here. */
class RedisVectorShareTest {
    private static Process redis;
    private static int port;
    private static Vertx vertx;
    private static SemanticMatchers matchers;

    @BeforeAll
    static void start() throws Exception {
        Path bin = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(bin)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("redis-server is required in CI (apt-get install redis-server)");
            }
            assumeTrue(false, "redis-server not installed");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder(bin.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        vertx = Vertx.vertx();
        matchers = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test"), 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                connect().close();
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (matchers != null) {
            matchers.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (redis != null) {
            redis.destroy();
        }
    }

    private static RedisConnection connect() {
        return Redis.createClient(vertx, "redis://127.0.0.1:" + port).connect().await();
    }

    private static SemanticMatcher replica() {
        RedisVectorShare share = new RedisVectorShare(connect(), matchers.executor(), Duration.ofHours(1));
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults(), share, share);
        share.start(m, connect()).await();
        return m;
    }

    private static Optional<Match> lookup(SemanticMatcher m, Anchor anchor, String text) {
        return m.lookup(new LookupRequest("org:acme", anchor, text, false)).toCompletableFuture().join();
    }

    @Test
    void anEntryStoredOnOneReplicaIsFoundOnAnother_loadedLazilyThenKeptCurrentByPubSub() throws Exception {
        Anchor anchor = new Anchor(42, 7);
        SemanticMatcher a = replica();
        SemanticMatcher b = replica();
        a.store("org:acme", anchor, "Where do we validate the JWT signature?", false, "E1").toCompletableFuture().join();
        Thread.sleep(100); // the HSET is sent asynchronously
        assertThat(lookup(b, anchor, "In which place is the JWT signature validated?")).map(Match::entryId).contains("E1");
        assertThat(lookup(b, new Anchor(1, 1), "In which place is the JWT signature validated?")).isEmpty();

        a.store("org:acme", anchor, "How are background jobs scheduled?", false, "E2").toCompletableFuture().join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Optional<Match> second = Optional.empty();
        while (second.isEmpty() && System.nanoTime() < deadline) {
            second = lookup(b, anchor, "how are background jobs scheduled");
            Thread.sleep(20);
        }
        assertThat(second).map(Match::entryId).contains("E2");

        SemanticMatcher c = replica(); // a replica started later loads both
        assertThat(lookup(c, anchor, "In which place is the JWT signature validated?")).map(Match::entryId).contains("E1");
        assertThat(lookup(c, anchor, "In which place is the JWT signature validated for `admin_only`?")).isEmpty();
    }

    @Test
    void keysRoundTripAndCorruptValuesAreRejected() {
        var key = new dev.sluice.cache.semantic.index.IndexKey("team:a:b}{", new Anchor(-1, 5), "minilm-static-v1-zipf100");
        assertThat(RedisVectorShare.parseKey(RedisVectorShare.redisKey(key))).isEqualTo(key);
        StoredEntry e = new StoredEntry("E", CodeIdentity.of("What does `x_y` do in 3 steps?"), new float[] {1, 2}, 99);
        Buffer encoded = EntryCodec.encode(new float[] {0.5f, 0.25f}, e);
        EntryCodec.Decoded d = EntryCodec.decode("E", encoded);
        assertThat(d.retrieval()).containsExactly(0.5f, 0.25f);
        assertThat(d.entry().identity()).isEqualTo(e.identity());
        assertThat(d.entry().verifyVector()).containsExactly(1f, 2f);
        assertThatThrownBy(() -> EntryCodec.decode("E", encoded.getBuffer(0, encoded.length() - 3)))
                .hasMessageContaining("truncated");
    }
}
