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

    private static SemanticMatcher replica() throws InterruptedException {
        return replica("redis://127.0.0.1:" + port, true);
    }

    private static SemanticMatcher replica(String url, boolean awaitConnected) throws InterruptedException {
        RedisVectorShare share = new RedisVectorShare(vertx, url, matchers.executor(), Duration.ofHours(1), Duration.ofSeconds(2));
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults(), share, share);
        share.start(m);
        if (awaitConnected) {
            await(share::connected);
        }
        return m;
    }

    private static void await(java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ok.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ok.getAsBoolean()).isTrue();
    }

    private static Optional<Match> lookup(SemanticMatcher m, Anchor anchor, String text) {
        return lookup(m, "org:acme", anchor, text);
    }

    private static Optional<Match> lookup(SemanticMatcher m, String scope, Anchor anchor, String text) {
        return m.lookup(new LookupRequest(scope, anchor, text, false)).toCompletableFuture().join();
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
    void anOrgsEntryIsNeverFoundFromAnotherOrgUnderTheSameAnchorAndWords() throws Exception {
        Anchor anchor = new Anchor(43, 8);
        SemanticMatcher a = replica();
        SemanticMatcher b = replica();
        String q = "Which environment variable sets the database password?";
        assertThat(a.store("org:acme\nteam:payments\n", anchor, q, false, "ACME1").toCompletableFuture().join()).isTrue();
        Thread.sleep(100); // the HSET is sent asynchronously
        assertThat(lookup(b, "org:acme\nteam:payments\n", anchor, q)).map(Match::entryId).contains("ACME1");
        assertThat(lookup(b, "org:globex\nteam:payments\n", anchor, q)).as("another org").isEmpty();
        assertThat(lookup(b, "org:acme\nteam:search\n", anchor, q)).as("another scope of the same org").isEmpty();
        assertThat(lookup(b, "org:acme\nteam:payments\nv2", anchor, q)).as("another namespace").isEmpty();
        assertThat(lookup(a, "org:globex\nteam:payments\n", anchor, q)).as("nor on the replica that stored it").isEmpty();
    }

    @Test
    void aWrongAnswerVerdictOnOneReplicaRaisesTheEntrysThresholdOnTheOthers() throws Exception {
        Anchor anchor = new Anchor(44, 9);
        SemanticMatcher a = replica();
        SemanticMatcher b = replica();
        a.store("org:acme", anchor, "How do I rotate the signing keys?", false, "V1").toCompletableFuture().join();
        Thread.sleep(100);
        Optional<Match> before = lookup(b, anchor, "How do I rotate the signing keys, please?");
        assertThat(before).map(Match::entryId).contains("V1");

        a.observe("org:acme", "V1", before.orElseThrow().similarity(), false);
        await(() -> b.threshold("org:acme", "V1") > before.orElseThrow().similarity());
        assertThat(lookup(b, anchor, "How do I rotate the signing keys, please?")).as("distrusted on b too").isEmpty();

        a.observe("org:acme", "V1", 0.999, true); // a right verdict is not shared: each replica lowers a threshold on its own evidence
        Thread.sleep(200);
        assertThat(b.threshold("org:acme", "V1")).isGreaterThan(before.orElseThrow().similarity());
    }

    @Test
    void withRedisAwayTheReplicaMatchesOnItsOwnEntriesAndNothingFails() throws Exception {
        int nothing;
        try (ServerSocket s = new ServerSocket(0)) {
            nothing = s.getLocalPort();
        }
        SemanticMatcher alone = replica("redis://127.0.0.1:" + nothing, false);
        Anchor anchor = new Anchor(45, 10);
        assertThat(alone.store("org:acme", anchor, "Where are feature flags read?", false, "L1").toCompletableFuture()
                .get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(alone.lookup(new LookupRequest("org:acme", anchor, "Where are the feature flags read?", false))
                .toCompletableFuture().get(5, TimeUnit.SECONDS)).map(Match::entryId).contains("L1");
        alone.observe("org:acme", "L1", 0.95, false); // not shared, not an error
    }

    @Test
    void whenRedisComesBackTheReplicasShareAgainWithoutARestart() throws Exception {
        int later;
        try (ServerSocket s = new ServerSocket(0)) {
            later = s.getLocalPort();
        }
        String url = "redis://127.0.0.1:" + later;
        SemanticMatcher a = replica(url, false);
        SemanticMatcher b = replica(url, false);
        Anchor anchor = new Anchor(46, 11);
        a.store("org:acme", anchor, "Where is the audit log written?", false, "BEFORE").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(lookup(b, anchor, "Where is the audit log written?")).as("Redis away: b cannot see a's entry").isEmpty();

        Process second = new ProcessBuilder("/usr/bin/redis-server", "--port", String.valueOf(later), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Optional<Match> found = Optional.empty();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                // Stored once both are subscribed again (reconnects every 2 s), found on b's next lookup.
                a.store("org:acme", anchor, "How is the audit log rotated?", false, "AFTER").toCompletableFuture().join();
                Thread.sleep(200);
                found = lookup(b, anchor, "How is the audit log rotated?");
            }
            assertThat(found).map(Match::entryId).contains("AFTER");
            assertThat(lookup(b, anchor, "Where is the audit log written?")).as("stored while away: stays on a").isEmpty();
        } finally {
            second.destroy();
            second.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void keysRoundTripAndCorruptValuesAreRejected() {
        var key = new dev.sluice.cache.semantic.index.IndexKey("team:a:b}{", new Anchor(-1, 5), "minilm-static-v1-zipf100");
        assertThat(RedisVectorShare.parseKey(RedisVectorShare.redisKey(key))).isEqualTo(key);
        var remote = new dev.sluice.cache.semantic.index.IndexKey("org:x", new Anchor(1, 2), "openai:text-embedding-3-small");
        assertThat(RedisVectorShare.parseKey(RedisVectorShare.redisKey(remote))).as("a model id with colons").isEqualTo(remote);
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
