package dev.sluice.cache.stage;

import static dev.sluice.cache.stage.CacheGateway.cacheStatus;
import static dev.sluice.cache.stage.CacheGateway.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.stage.SemanticStats.Lookup;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic cache through the real gateway over the simulated upstream, with the shipped model: a paraphrased
 * newest question in the same conversation is served with its similarity, age and a ledger row; a different
 * identifier, a tool-result turn or another conversation is not; shadow mode serves nothing and records verdicts;
 * a thumbs-down or an immediate refresh is a wrong-answer signal.
 */
class SemanticEndToEndTest {
    private static final String SECTION = "cache:\n  semantic: {mode: on, max-wait: 5s, table-dir: \""
            + Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test") + "\"}\n";
    private static final AtomicInteger CONVERSATIONS = new AtomicInteger();

    @TempDir
    static Path data;
    private static CacheGateway gw;
    private static String ana;
    private static String ben;

    @BeforeAll
    static void start() throws InterruptedException {
        gw = CacheGateway.start(data, SECTION);
        ana = gw.key("acme", "payments", "ana");
        ben = gw.key("acme", "payments", "ben");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!semantic().ready() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(semantic().ready()).as("model opened").isTrue();
    }

    @BeforeEach
    void clear() {
        gw.upstream().clear();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static SemanticService semantic() {
        return gw.gateway().cache().semantic();
    }

    /** A Claude-Code-shaped request: a system prompt, earlier turns of one conversation, then {@code newest}. */
    static String turn(String conversation, String newest) {
        return "{\"model\":\"" + CacheGateway.MODEL + "\",\"max_tokens\":64,\"stream\":false,"
                + "\"system\":\"You are Claude Code, working in repo " + conversation + ".\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Read auth/session.py first.\"},"
                + "{\"role\":\"assistant\",\"content\":\"I read auth/session.py.\"},"
                + "{\"role\":\"user\",\"content\":" + quote(newest) + "}]}";
    }

    private static String conversation() {
        return "conv-" + CONVERSATIONS.incrementAndGet();
    }

    /** Asks, waits until its answer is stored and its question indexed. */
    private static HttpResponse<String> askAndIndex(String key, String body) {
        // Indexing is asynchronous: let what earlier tests asked finish first, or their late index would be
        // taken for this one's and the next request would race it (seen once on a loaded machine).
        long indexed = settled(() -> semantic().stats().indexedQuestions());
        long captures = gw.counts().stored() + gw.counts().notStored();
        HttpResponse<String> r = gw.post(key, body);
        gw.awaitCaptures(captures + 1);
        await(() -> semantic().stats().indexedQuestions(), indexed + 1);
        return r;
    }

    /** The value once it has not changed for 300 ms (at most 20 s). */
    private static long settled(LongSupplier value) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = value.getAsLong();
        long since = System.nanoTime();
        while (System.nanoTime() - since < 300_000_000L && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = value.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    private static void await(LongSupplier value, long atLeast) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (value.getAsLong() < atLeast && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(value.getAsLong()).as("waited for a counter").isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void aParaphraseInTheSameConversationIsServedWithItsSimilarityAgeAndALedgerRow() throws Exception {
        String conv = conversation();
        HttpResponse<String> first = askAndIndex(ana, turn(conv, "How is the database connection pool configured in this project?"));
        Thread.sleep(1100); // so the age reads at least 1
        HttpResponse<String> para = gw.post(ana, turn(conv, "How is the database connection pool configured in this project, please?"));
        HttpResponse<String> otherConversation = gw.post(ana, turn(conversation(),
                "How is the database connection pool configured in this project, please?"));

        assertThat(cacheStatus(first)).isEqualTo("miss");
        assertThat(cacheStatus(para)).isEqualTo("semantic");
        double similarity = Double.parseDouble(para.headers().firstValue("x-sluice-cache-similarity").orElseThrow());
        assertThat(similarity).isBetween(0.92, 1.0);
        assertThat(Long.parseLong(para.headers().firstValue("x-sluice-cache-age").orElseThrow())).isBetween(1L, 60L);
        assertThat(CacheGateway.json(para.body()).path("content").get(0).path("text").asText())
                .isEqualTo(CacheGateway.json(first.body()).path("content").get(0).path("text").asText());
        assertThat(cacheStatus(otherConversation)).as("another anchor (system prompt) never matches").isEqualTo("miss");
        assertThat(gw.upstream().received()).as("the paraphrase did not go upstream").hasSize(2);

        JsonNode only = records(para.headers().firstValue("request-id").orElseThrow(), ana).path("attempts").get(0);
        assertThat(only.path("attempt").asInt()).isZero();
        assertThat(only.path("provider").asText()).isEqualTo("cache");
        assertThat(only.path("cache").asText()).isEqualTo("semantic");
        assertThat(new BigDecimal(only.path("cost_usd").asText())).isEqualByComparingTo("0");
        assertThat(new BigDecimal(only.path("gateway_cache_savings_usd").asText())).isPositive();
        String metrics = gw.get("/metrics", ana).body();
        assertThat(metrics).contains("cache=\"semantic\"").contains("sluice_cache_semantic_lookups_total{result=\"hit\"}");
        // The hit is counted under the provider the ledger names for it: the cache, not the upstream it once came from.
        assertThat(metrics.lines().filter(l -> l.startsWith("sluice_requests_total{") && l.contains("cache=\"semantic\"")))
                .isNotEmpty().allSatisfy(l -> assertThat(l).contains("provider=\"cache\""));
    }

    @Test
    void aQuestionNamingAnotherIdentifierMisses() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "What does `refresh_session` in auth/session.py do?"));
        HttpResponse<String> other = gw.post(ana, turn(conv, "What does `refresh_token` in auth/session.py do?"));
        HttpResponse<String> same = gw.post(ana, turn(conv, "Can you explain what `refresh_session` in auth/session.py does?"));

        assertThat(cacheStatus(other)).isEqualTo("miss");
        assertThat(cacheStatus(same)).as("the same identifier, reworded, still matches").isEqualTo("semantic");
    }

    @Test
    void aToolResultTurnNeverConsultsTheSemanticCache() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "Explain the login flow in auth/session.py."));
        long toolTurns = semantic().stats().lookups(Lookup.TOOL_RESULT);
        long searched = searched();
        String body = "{\"model\":\"" + CacheGateway.MODEL + "\",\"max_tokens\":64,\"stream\":false,"
                + "\"system\":\"You are Claude Code, working in repo " + conv + ".\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Explain the login flow in auth/session.py.\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"def login(): ...\"},"
                + "{\"type\":\"text\",\"text\":\"Explain the login flow in auth/session.py, please.\"}]}]}";

        HttpResponse<String> r = gw.post(ana, body);

        assertThat(cacheStatus(r)).isEqualTo("miss");
        assertThat(semantic().stats().lookups(Lookup.TOOL_RESULT)).isEqualTo(toolTurns + 1);
        assertThat(searched()).as("no search, hit or miss, for a tool-result turn").isEqualTo(searched);
    }

    @Test
    void aFullSemanticQueueMakesTheLookupAMissAtOnce() throws Exception {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "Where is the feature flag for dark mode read?"));
        String para = turn(conv, "Where is the feature flag for dark mode read, please?");
        var pool = (java.util.concurrent.ThreadPoolExecutor) semantic().executor();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        long busy = semantic().stats().lookups(Lookup.BUSY);
        try {
            // Both threads blocked first (an idle thread takes a queued task a moment later), then every queue slot taken.
            Runnable blocked = () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            pool.execute(blocked);
            pool.execute(blocked);
            await(() -> pool.getActiveCount() == 2 && pool.getQueue().isEmpty() ? 1 : 0, 1);
            while (pool.getQueue().remainingCapacity() > 0) {
                pool.execute(blocked);
            }
            HttpResponse<String> r = gw.post(ana, para);
            assertThat(cacheStatus(r)).isEqualTo("miss");
            assertThat(semantic().stats().lookups(Lookup.BUSY)).as(gw.admin("GET", "/admin/cache/semantic", null).toString()
                    + " queue " + pool.getQueue().size() + "/" + pool.getQueue().remainingCapacity() + " active " + pool.getActiveCount())
                    .isEqualTo(busy + 1);
        } finally {
            release.countDown();
        }
        await(() -> pool.getQueue().isEmpty() && pool.getActiveCount() == 0 ? 1 : 0, 1);
        assertThat(cacheStatus(gw.post(ana, para.replace("please?", "please? ")))).as("room again: it matches")
                .isEqualTo("semantic");
    }

    private static long searched() {
        SemanticStats s = semantic().stats();
        return s.lookups(Lookup.HIT) + s.lookups(Lookup.MISS) + s.lookups(Lookup.WOULD_BE_HIT) + s.lookups(Lookup.STALE);
    }

    @Test
    void aStricterThresholdForTheModelReloadsLiveAndStopsTheParaphraseHit() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "Which environment variables configure the payment webhook secret?"));
        gw.reload("mode: on", "mode: on, thresholds: {\"" + CacheGateway.MODEL + "\": 0.9999}");
        HttpResponse<String> strict;
        try {
            strict = gw.post(ana, turn(conv, "Which environment variables configure the payment webhook secret, please?"));
        } finally {
            gw.reload("mode: on", "mode: on"); // back to the start configuration
        }
        assertThat(cacheStatus(strict)).as("a paraphrase is below a 0.9999 bar").isEqualTo("miss");
        assertThat(gw.upstream().received()).hasSize(2);
        HttpResponse<String> relaxed = gw.post(ana, turn(conv, "Which environment variables configure the payment webhook secret, thanks?"));
        assertThat(cacheStatus(relaxed)).as("back on the shipped threshold").isEqualTo("semantic");
    }

    @Test
    void shadowModeServesNothingButComparesTheRealAnswer() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "Where are the retry settings for the HTTP client defined?"));
        JsonNode before = gw.admin("GET", "/admin/cache/semantic", null);
        gw.reload("mode: on", "mode: shadow");
        try {
            HttpResponse<String> para = gw.post(ana, turn(conv, "Where are the retry settings for the HTTP client defined, please?"));
            assertThat(cacheStatus(para)).isEqualTo("miss");
            assertThat(para.headers().firstValue("x-sluice-cache-similarity")).isEmpty();
            assertThat(gw.upstream().received()).as("shadow mode sends the request upstream").hasSize(2);
            await(() -> semantic().stats().shadowRight() + semantic().stats().shadowWrong(),
                    before.path("shadow").path("right").asLong() + before.path("shadow").path("wrong").asLong() + 1);
        } finally {
            gw.reload("mode: on", "mode: on"); // back to the start configuration
        }
        JsonNode after = gw.admin("GET", "/admin/cache/semantic", null);
        assertThat(after.path("shadow").path("would_be_hits").asLong())
                .isEqualTo(before.path("shadow").path("would_be_hits").asLong() + 1);
        assertThat(after.path("shadow").path("right").asLong()).isEqualTo(before.path("shadow").path("right").asLong() + 1);
        assertThat(after.path("recent_verdicts").get(0).path("right").asBoolean())
                .as("the simulator gives the same answer to both: a right verdict").isTrue();
        assertThat(gw.get("/metrics", ana).body()).contains("sluice_cache_semantic_shadow_verdicts_total{verdict=\"right\"}");
    }

    @Test
    void thumbsDownOnASemanticAnswerStopsItBeingServedForThatQuestion() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "How do I run the integration tests for the billing module?"));
        String para = turn(conv, "How do I run the integration tests for the billing module, please?");
        HttpResponse<String> hit = gw.post(ana, para);
        assertThat(cacheStatus(hit)).isEqualTo("semantic");
        String id = hit.headers().firstValue("request-id").orElseThrow();

        HttpResponse<String> notTheirs = feedback(ben, "{\"request_id\":\"" + id + "\",\"rating\":\"down\"}");
        HttpResponse<String> down = feedback(ana, "{\"request_id\":\"" + id + "\",\"rating\":\"down\",\"note\":\"wrong module\"}");
        // One verdict per answer: a developer who rated it again and again outvoted the team in the learner's counts.
        HttpResponse<String> twice = feedback(ana, "{\"request_id\":\"" + id + "\",\"rating\":\"up\"}");
        HttpResponse<String> again = gw.post(ana, para.replace("please?", "please?  "));

        assertThat(notTheirs.statusCode()).as("another developer's key").isEqualTo(404);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(200);
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(409);
        assertThat(twice.body()).contains("already rated").contains("\"type\":\"error\"");
        assertThat(cacheStatus(again)).as("the entry's threshold is above that similarity now").isEqualTo("miss");
        JsonNode status = gw.admin("GET", "/admin/cache/semantic", null);
        assertThat(status.path("recent_signals").get(0).path("kind").asText()).isEqualTo("down");
        assertThat(status.path("recent_signals").get(0).path("note").asText()).isEqualTo("wrong module");
    }

    @Test
    void aThresholdChangeThatDrawsAThumbsDownIsRolledBackToThePreviousVersion() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "Where is the retry budget for outgoing webhooks set?"));
        // The harness starts from a parsed configuration, so its first version has no text to return to; a gateway
        // started from a file records the file. Record the text as it serves, as that file would be.
        gw.reload("mode: on", "mode: on");
        int startVersion = gw.gateway().live().current().version();
        gw.reload("mode: on", "mode: on, thresholds: {\"" + CacheGateway.MODEL + "\": 0.92}, rollback: {window: 5s, min-hits: 1}");
        try {
            int tuned = gw.gateway().live().current().version();
            assertThat(tuned).isGreaterThan(startVersion);
            HttpResponse<String> hit = gw.post(ana, turn(conv, "Where is the retry budget for outgoing webhooks set, please?"));
            assertThat(cacheStatus(hit)).isEqualTo("semantic");
            HttpResponse<String> down = feedback(ana, "{\"request_id\":\"" + hit.headers().firstValue("request-id").orElseThrow()
                    + "\",\"rating\":\"down\"}");
            assertThat(down.statusCode()).isEqualTo(200);
            // One wrong-answer signal on one hit is over the 5% allowed: the previous version comes back on its own.
            await(() -> gw.gateway().live().current().config().cache().semantic().thresholds().isEmpty() ? 1 : 0, 1);
            var latest = gw.gateway().live().history().getLast();
            assertThat(latest.number()).isGreaterThan(tuned);
            assertThat(latest.who()).isEqualTo("sluice-semantic-rollback");
            assertThat(latest.source()).isEqualTo("rollback to " + (tuned - 1));
        } finally {
            gw.reload("mode: on", "mode: on"); // back to the start configuration
        }
    }

    @Test
    void thumbsDownOnAnExactAnswerEvictsIt() {
        String body = turn(conversation(), "Which files define the rate limiter?");
        askAndIndex(ana, body);
        HttpResponse<String> hit = gw.post(ana, body);
        assertThat(cacheStatus(hit)).isEqualTo("hit");
        long evicted = semantic().stats().evictedEntries();

        // An admin key may rate anyone's request.
        HttpResponse<String> down = feedback(CacheGateway.ADMIN, "{\"request_id\":\"" + hit.headers().firstValue("request-id").orElseThrow()
                + "\",\"rating\":\"down\"}");
        await(() -> semantic().stats().evictedEntries(), evicted + 1);

        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(cacheStatus(gw.post(ana, body))).isEqualTo("miss");
    }

    @Test
    void reAskingAtOnceWithRefreshIsAWrongAnswerSignal() {
        String conv = conversation();
        askAndIndex(ana, turn(conv, "What is the default timeout of the upstream client?"));
        String para = turn(conv, "What is the default timeout of the upstream client, please?");
        assertThat(cacheStatus(gw.post(ana, para))).isEqualTo("semantic");
        long refreshes = semantic().stats().refreshSignals();

        HttpResponse<String> refreshed = gw.post(ana, para, "x-sluice-cache-refresh", "true");

        assertThat(cacheStatus(refreshed)).isEqualTo("refresh");
        assertThat(semantic().stats().refreshSignals()).isEqualTo(refreshes + 1);
        assertThat(gw.admin("GET", "/admin/cache/semantic", null).path("recent_signals").get(0).path("kind").asText())
                .isEqualTo("refresh");
    }

    @Test
    void feedbackIsBoundedAndNamesWhatIsWrong() {
        assertThat(feedback(ana, "{\"request_id\":\"x\",\"rating\":\"meh\"}").body()).contains("rating").contains("down or up");
        assertThat(feedback(ana, "{\"rating\":\"down\"}").body()).contains("request_id: required");
        assertThat(feedback(ana, "{\"request_id\":\"x\",\"rating\":\"down\",\"extra\":1}").body()).contains("unknown field 'extra'");
        assertThat(feedback(ana, "{\"request_id\":\"" + "a".repeat(5000) + "\",\"rating\":\"down\"}").statusCode()).isEqualTo(413);
        assertThat(feedback("not-a-key", "{\"request_id\":\"x\",\"rating\":\"down\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> unknown = feedback(ana, "{\"request_id\":\"req_unknown\",\"rating\":\"up\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(CacheGateway.json(unknown.body()).path("type").asText()).as("the Anthropic envelope").isEqualTo("error");
    }

    private static HttpResponse<String> feedback(String key, String body) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(gw.url() + "/sluice/v1/feedback")).header("x-api-key", key)
                    .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode records(String id, String key) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = gw.get("/sluice/v1/requests/" + id, key);
            if (r.statusCode() == 200 && CacheGateway.json(r.body()).path("attempts").size() > 0) {
                return CacheGateway.json(r.body());
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no ledger record for " + id);
    }
}
