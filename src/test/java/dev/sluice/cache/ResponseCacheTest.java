package dev.sluice.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.entry.SecretWriteGuard;
import dev.sluice.cache.key.RequestKeyer;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.MemoryStore;
import dev.sluice.pipeline.Identity;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
    static final Vertx VERTX = Vertx.vertx();
    static final Identity ALICE = new Identity("k-alice", "laptop", "alice", "payments", "acme", Map.of());
    static final Identity BOB = new Identity("k-bob", "laptop", "bob", "payments", "acme", Map.of());
    static final Identity CAROL_OTHER_TEAM = new Identity("k-carol", "laptop", "carol", "search", "acme", Map.of());
    static final Identity MALLORY_OTHER_ORG = new Identity("k-m", "laptop", "mallory", "payments", "evil", Map.of());

    final AtomicLong now = new AtomicLong(1_000_000);
    CacheStore store;
    ResponseCache cache;

    @BeforeEach
    void setUp() {
        store = new MemoryStore(8 << 20, false, now::get);
        cache = new ResponseCache(VERTX, store, new RequestKeyer(store.secret().await()), new SecretWriteGuard(), now::get);
    }

    @AfterAll
    static void tearDown() {
        VERTX.close().await();
    }

    static CacheRequest request(Identity who, byte[] body, CachePolicy policy, MultiMap headers, boolean stream) {
        return new CacheRequest(who, policy, CacheControls.parse(headers), body, body.length, List.of("target=anthropic/claude-opus-5-5"), stream);
    }

    static CacheRequest request(Identity who, byte[] body) {
        return request(who, body, CachePolicy.defaults(), MultiMap.caseInsensitiveMultiMap(), true);
    }

    /** Alice's first turn goes upstream, the scripted model answers, the capture stores it. */
    CacheCapture.Outcome storeAlice(Identity who, CacheRequest r, List<SseEvent> answer) {
        CacheDecision d = cache.lookup(r).await();
        assertThat(d).isInstanceOf(CacheDecision.Miss.class);
        CacheCapture c = ((CacheDecision.Miss) d).capture();
        assertThat(c).isNotNull();
        answer.forEach(c::onEvent);
        return c.finish(200).await();
    }

    static List<SseEvent> aliceAnswer() {
        return Answers.stream("tool_use", Answers.thinking(), Answers.text("Let me find the functions."),
                Answers.bash("grep -rn \"def \" /home/alice/src/calc"));
    }

    @Test
    void bobGetsAlicesAnswerWithHisOwnPaths() {
        CacheCapture.Outcome o = storeAlice(ALICE, request(ALICE, Captures.body("alice-turn1")), aliceAnswer());
        assertThat(o.stored()).as(o.reason()).isTrue();
        assertThat(o.shared()).isTrue();
        CacheDecision d = cache.lookup(request(BOB, Captures.body("bob-turn1"))).await();
        assertThat(d).isInstanceOf(CacheDecision.Hit.class);
        CacheDecision.Hit hit = (CacheDecision.Hit) d;
        String sent = Answers.text(hit.events());
        assertThat(sent).contains("/home/bob/work/projects/calc").doesNotContain("alice");
        assertThat(hit.ageMillis()).isZero();
        HitSavings saved = hit.savings(new Meter(PriceTable.builtIn()));
        assertThat(saved.tokens().inputTokens()).isEqualTo(1200);
        assertThat(saved.nanoUsd()).isPositive();
        // and as JSON for a non-streaming client
        CacheDecision json = cache.lookup(request(BOB, Captures.body("bob-turn1"), CachePolicy.defaults(),
                MultiMap.caseInsensitiveMultiMap(), false)).await();
        assertThat(new String(((CacheDecision.Hit) json).body(), UTF_8)).contains("grep -rn \\\"def \\\" /home/bob/work/projects/calc");
        assertThat(cache.counts().hits()).isEqualTo(2);
    }

    @Test
    void noHitCrossesAnOrganizationEvenForIdenticalRequests() {
        byte[] body = Captures.body("alice-turn1");
        assertThat(storeAlice(ALICE, request(ALICE, body), aliceAnswer()).stored()).isTrue();
        assertThat(cache.lookup(request(ALICE, body)).await()).isInstanceOf(CacheDecision.Hit.class);
        CacheDecision other = cache.lookup(request(MALLORY_OTHER_ORG, body)).await();
        assertThat(other).isInstanceOf(CacheDecision.Miss.class);
        // not with a looser scope either: scopes live inside the org
        CacheDecision keyScoped = cache.lookup(request(MALLORY_OTHER_ORG, body, CachePolicy.defaults().withScope(CacheScope.KEY),
                MultiMap.caseInsensitiveMultiMap(), true)).await();
        assertThat(keyScoped).isInstanceOf(CacheDecision.Miss.class);
    }

    @Test
    void scopesNarrowWhoShares() {
        byte[] alice = Captures.body("alice-turn1");
        CachePolicy team = CachePolicy.defaults().withScope(CacheScope.TEAM);
        storeAlice(ALICE, request(ALICE, alice, team, MultiMap.caseInsensitiveMultiMap(), true), aliceAnswer());
        assertThat(cache.lookup(request(BOB, Captures.body("bob-turn1"), team, MultiMap.caseInsensitiveMultiMap(), true)).await())
                .isInstanceOf(CacheDecision.Hit.class);
        assertThat(cache.lookup(request(CAROL_OTHER_TEAM, alice, team, MultiMap.caseInsensitiveMultiMap(), true)).await())
                .isInstanceOf(CacheDecision.Miss.class);
        CachePolicy user = CachePolicy.defaults().withScope(CacheScope.USER);
        assertThat(cache.lookup(request(ALICE, alice, user, MultiMap.caseInsensitiveMultiMap(), true)).await())
                .as("an org/team entry is not a user entry").isInstanceOf(CacheDecision.Miss.class);
    }

    @Test
    void modesAndRequestControls() {
        byte[] body = Captures.body("alice-turn1");
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults().withMode(CacheMode.OFF), headers(), true)).await())
                .isInstanceOf(CacheDecision.Bypass.class);
        CacheDecision readOnly = cache.lookup(request(ALICE, body, CachePolicy.defaults().withMode(CacheMode.READ_ONLY), headers(), true)).await();
        assertThat(((CacheDecision.Miss) readOnly).capture()).isNull();
        // a request cannot widen its route's mode
        CacheDecision widened = cache.lookup(request(ALICE, body, CachePolicy.defaults().withMode(CacheMode.READ_ONLY),
                headers("x-sluice-cache-mode", "on"), true)).await();
        assertThat(((CacheDecision.Miss) widened).capture()).isNull();
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("Cache-Control", "no-store"), true)).await())
                .satisfies(d -> assertThat(((CacheDecision.Miss) d).capture()).isNull());
        storeAlice(ALICE, request(ALICE, body), aliceAnswer());
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults().withMode(CacheMode.WRITE_ONLY), headers(), true)).await())
                .isInstanceOf(CacheDecision.Miss.class);
        CacheDecision refresh = cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("x-sluice-cache-refresh", "true"), true)).await();
        assertThat(refresh.status()).isEqualTo("refresh");
        assertThat(((CacheDecision.Miss) refresh).capture()).isNotNull();
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("Cache-Control", "no-cache"), true)).await().status())
                .isEqualTo("refresh");
        assertThat(cache.lookup(request(ALICE, body)).await().status()).isEqualTo("hit");
    }

    @Test
    void ttlMaxAgeAndExpiry() {
        byte[] body = Captures.body("alice-turn1");
        storeAlice(ALICE, request(ALICE, body, CachePolicy.defaults(), headers("x-sluice-cache-ttl", "60"), true), aliceAnswer());
        now.addAndGet(30_000);
        assertThat(cache.lookup(request(ALICE, body)).await().status()).isEqualTo("hit");
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("Cache-Control", "max-age=10"), true)).await().status())
                .as("older than the client accepts").isEqualTo("miss");
        now.addAndGet(31_000);
        assertThat(cache.lookup(request(ALICE, body)).await().status()).as("expired").isEqualTo("miss");
        // a TTL above the route's maximum is capped
        CachePolicy shortMax = CachePolicy.defaults().withTtl(Duration.ofSeconds(10), Duration.ofSeconds(20));
        storeAlice(ALICE, request(ALICE, body, shortMax, headers("x-sluice-cache-ttl", "3600"), true), aliceAnswer());
        now.addAndGet(21_000);
        assertThat(cache.lookup(request(ALICE, body, shortMax, headers(), true)).await().status()).isEqualTo("miss");
    }

    @Test
    void namespacesAndBusts() {
        byte[] body = Captures.body("alice-turn1");
        storeAlice(ALICE, request(ALICE, body, CachePolicy.defaults(), headers("x-sluice-cache-namespace", "sha-abc123"), true), aliceAnswer());
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("x-sluice-cache-namespace", "sha-abc123"), true)).await().status()).isEqualTo("hit");
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("x-sluice-cache-namespace", "sha-def456"), true)).await().status()).isEqualTo("miss");
        assertThat(cache.lookup(request(ALICE, body)).await().status()).as("no namespace is its own namespace").isEqualTo("miss");
        cache.bust("acme", "org", "sha-abc123").await();
        assertThat(cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers("x-sluice-cache-namespace", "sha-abc123"), true)).await().status()).isEqualTo("miss");
        // a scope bust, and a bust that lands while an answer is being captured
        storeAlice(ALICE, request(ALICE, body), aliceAnswer());
        CacheDecision inFlight = cache.lookup(request(BOB, Captures.body("bob-turn1"), CachePolicy.defaults(), headers("x-sluice-cache-refresh", "1"), true)).await();
        cache.bust("acme", "org", null).await();
        assertThat(cache.lookup(request(ALICE, body)).await().status()).isEqualTo("miss");
        CacheCapture late = ((CacheDecision.Miss) inFlight).capture();
        aliceAnswer().forEach(late::onEvent);
        assertThat(late.finish(200).await().stored()).isTrue();
        assertThat(cache.lookup(request(ALICE, body)).await().status()).as("stored under the old generation: never served").isEqualTo("miss");
    }

    @Test
    void whatIsNeverStored() {
        byte[] body = Captures.body("alice-turn1");
        assertThat(storeAlice(ALICE, request(ALICE, body), Answers.stream("max_tokens", Answers.text("cut"))).reason()).contains("max_tokens");
        List<SseEvent> cut = aliceAnswer();
        assertThat(storeAlice(ALICE, request(ALICE, body), cut.subList(0, cut.size() - 2)).stored()).isFalse();
        assertThat(storeAlice(ALICE, request(ALICE, body), Answers.stream("end_turn", Answers.text("key: AKIAIOSFODNN7EXAMPLE"))).reason())
                .contains("write guard");
        CacheCapture c = ((CacheDecision.Miss) cache.lookup(request(ALICE, body)).await()).capture();
        aliceAnswer().forEach(c::onEvent);
        assertThat(c.finish(529).await().stored()).isFalse();
        CacheCapture big = ((CacheDecision.Miss) cache.lookup(request(ALICE, body, CachePolicy.defaults().withLimits(2048, 32 << 20),
                headers(), true)).await()).capture();
        Answers.stream("end_turn", Answers.text("x".repeat(5000))).forEach(big::onEvent);
        assertThat(big.finish(200).await().reason()).contains("larger than");
        assertThat(cache.lookup(request(ALICE, body)).await().status()).isEqualTo("miss");
    }

    /**
     * Attack round 16: a tool call's input streams as pieces of JSON, and a JSON escape in it ({@code \\u0067hp_...})
     * hid a token from the write guard, which read the pieces raw; the answer was stored and replayed to others.
     */
    @Test
    void aSecretEscapedInsideAToolCallsInputIsNeverStored() {
        String token = "ghp_" + "R8fK2mQ9xL4vT7wZ1pN6sB3dH5jC0a2yA76O";
        List<SseEvent> escaped = Answers.stream("tool_use", Answers.bash("export T=" + token)).stream()
                .map(e -> dev.sluice.wire.SseFramer.parse(new String(e.raw(), UTF_8).replace("ghp_", "\\\\u0067hp_").getBytes(UTF_8)))
                .toList();
        assertThat(Answers.text(escaped)).contains("\\\\u0067hp_").doesNotContain(token);
        CacheCapture.Outcome o = storeAlice(ALICE, request(ALICE, Captures.body("alice-turn1")), escaped);
        assertThat(o.stored()).as(o.reason()).isFalse();
        assertThat(o.reason()).contains("write guard");
    }

    @Test
    void anAnswerThatNamesTheDeveloperIsServedOnlyToThem() {
        byte[] alice = Captures.body("alice-turn1");
        CacheCapture.Outcome o = storeAlice(ALICE, request(ALICE, alice), Answers.stream("end_turn", Answers.text("Hello Alice Example!")));
        assertThat(o.stored()).isTrue();
        assertThat(o.shared()).isFalse();
        assertThat(cache.lookup(request(ALICE, alice)).await().status()).isEqualTo("hit");
        assertThat(cache.lookup(request(BOB, Captures.body("bob-turn1"))).await().status()).isEqualTo("miss");
        assertThat(cache.counts().pinnedMisses()).isEqualTo(1);
    }

    @Test
    void nonStreamedAnswersAreStoredAndReplayedAsStreams() throws Exception {
        byte[] body = Captures.body("alice-turn1");
        CacheDecision d = cache.lookup(request(ALICE, body, CachePolicy.defaults(), headers(), false)).await();
        CacheCapture c = ((CacheDecision.Miss) d).capture();
        c.onBody(200, Answers.message("tool_use", Answers.text("Reading"), Answers.read("/home/alice/src/calc/calc.py")));
        assertThat(c.finish(200).await().stored()).isTrue();
        CacheDecision.Hit hit = (CacheDecision.Hit) cache.lookup(request(BOB, Captures.body("bob-turn1"))).await();
        assertThat(Answers.text(hit.events())).contains("/home/bob/work/projects/calc/calc.py");
        assertThat(Json.MAPPER.readTree(hit.events().getFirst().data()).path("message").path("usage").path("cache_read_input_tokens").asLong())
                .isPositive();
    }

    @Test
    void badControlHeadersAreTheCallersError() {
        for (String[] h : List.of(new String[] {"x-sluice-cache-ttl", "forever"}, new String[] {"x-sluice-cache-mode", "sometimes"},
                new String[] {"x-sluice-cache-namespace", "bad namespace!"}, new String[] {"x-sluice-cache-refresh", "maybe"},
                new String[] {"Cache-Control", "max-age=-5"})) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CacheControls.parse(headers(h[0], h[1])))
                    .isInstanceOf(dev.sluice.wire.ApiError.class).hasMessageContaining(h[0].startsWith("Cache") ? "max-age" : h[0]);
        }
    }

    @Test
    void memoryStaysWithinTheByteBudget() {
        MemoryStore small = new MemoryStore(256 * 1024, false, now::get);
        ResponseCache c = new ResponseCache(VERTX, small, new RequestKeyer(small.secret().await()), dev.sluice.cache.entry.WriteGuard.NONE, now::get);
        for (int i = 0; i < 200; i++) {
            byte[] body = ("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"q" + i + "\"}]}").getBytes(UTF_8);
            CacheCapture cap = ((CacheDecision.Miss) c.lookup(request(ALICE, body)).await()).capture();
            Answers.stream("end_turn", Answers.text("answer ".repeat(400))).forEach(cap::onEvent);
            assertThat(cap.finish(200).await().stored()).isTrue();
            assertThat(small.stats().bytes()).isLessThanOrEqualTo(256 * 1024);
        }
        assertThat(small.stats().evictions()).isPositive();
    }

    @Test
    void aStoreThatDoesNotAnswerInTimeMakesTheRequestGoUpstream() {
        CacheStore silent = new CacheStore() {
            @Override
            public io.vertx.core.Future<Found> get(dev.sluice.cache.store.StoreKey key) {
                return io.vertx.core.Promise.<Found>promise().future(); // never completes, like a Redis that hangs
            }

            @Override
            public io.vertx.core.Future<Void> put(dev.sluice.cache.store.StoreKey key, dev.sluice.cache.entry.CacheEntry entry, long generation) {
                return io.vertx.core.Future.succeededFuture();
            }

            @Override
            public io.vertx.core.Future<Long> bust(String org, String scope, String namespace) {
                return io.vertx.core.Future.succeededFuture(0L);
            }

            @Override
            public io.vertx.core.Future<dev.sluice.cache.key.KeySecret> secret() {
                return io.vertx.core.Future.succeededFuture(dev.sluice.cache.key.KeySecret.random());
            }

            @Override
            public StoreStats stats() {
                return new StoreStats(0, 0, 0, 0);
            }

            @Override
            public io.vertx.core.Future<Void> close() {
                return io.vertx.core.Future.succeededFuture();
            }
        };
        ResponseCache c = new ResponseCache(VERTX, silent, new RequestKeyer(silent.secret().await()), WriteGuardNone.NONE, now::get,
                Duration.ofMillis(50));
        long t0 = System.nanoTime();
        CacheDecision d = c.lookup(request(ALICE, Captures.body("alice-turn1"))).await();
        assertThat(d.status()).isEqualTo("bypass");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(40L, 2_000L);
    }

    @Test
    void aSecondaryLookupAnswersExactMissesByAnchor() throws Exception {
        java.util.Map<String, dev.sluice.cache.entry.CacheEntry> byAnchor = new java.util.concurrent.ConcurrentHashMap<>();
        cache.secondary(new SecondaryLookup() {
            @Override
            public io.vertx.core.Future<Found> find(CacheRequest request, dev.sluice.cache.key.RequestKey key, dev.sluice.cache.store.StoreKey exactKey) {
                dev.sluice.cache.entry.CacheEntry e = key.anchor() == null ? null : byAnchor.get(key.anchorHex() + exactKey.org());
                return io.vertx.core.Future.succeededFuture(e == null ? null : new Found(e, "semantic", 0.97));
            }

            @Override
            public void stored(CacheRequest request, dev.sluice.cache.key.RequestKey key, dev.sluice.cache.store.StoreKey exactKey,
                               dev.sluice.cache.entry.CacheEntry entry) {
                if (key.anchor() != null) {
                    byAnchor.put(key.anchorHex() + exactKey.org(), entry);
                }
            }
        });
        storeAlice(ALICE, request(ALICE, Captures.body("alice-turn1")), aliceAnswer());
        var paraphrase = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(Captures.body("bob-turn1"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) paraphrase.get("messages").get(0).get("content").get(2))
                .put("text", "What does this repo's add function do? Check the code first.");
        byte[] body = Json.MAPPER.writeValueAsString(paraphrase).replace("\\uD83E\\uDD16", "🤖").getBytes(UTF_8);
        CacheDecision d = cache.lookup(request(BOB, body)).await();
        assertThat(d.status()).isEqualTo("semantic");
        assertThat(Answers.text(((CacheDecision.Hit) d).events())).contains("/home/bob/work/projects/calc");
        assertThat(cache.lookup(request(MALLORY_OTHER_ORG, body)).await().status()).isEqualTo("miss");
        assertThat(cache.lookup(request(BOB, Captures.body("bob-turn2"))).await().status()).as("tool-result turns have no anchor").isEqualTo("miss");
    }

    /** The guard that lets everything through. */
    static final class WriteGuardNone {
        static final dev.sluice.cache.entry.WriteGuard NONE = dev.sluice.cache.entry.WriteGuard.NONE;
    }

    static MultiMap headers(String... nameValues) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.add(nameValues[i], nameValues[i + 1]);
        }
        return m;
    }
}
