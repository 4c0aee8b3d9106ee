package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fault matrix: a primary that fails in every way an upstream fails, a healthy secondary behind it.
 * Every request succeeds, or, once bytes reached the client, ends with a clean error event; every
 * attempt is one ledger record; the headers say how many attempts it took and which target served.
 * Both upstreams are the simulator, told apart by their keys ({@code x-sim-fault-key} fails only the
 * primary's); a tiny stub stands in for an upstream whose 429 carries no {@code retry-after}, which
 * the simulator never sends. Breakers are set out of reach here: {@link BreakerTest} is about them.
 */
class FallbackMatrixTest {
    static final String PRIMARY_KEY = "sk-ant-primary-fails";
    private static final int REQUESTS = 3;
    private static final AtomicInteger STUB_HITS = new AtomicInteger();
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        // An upstream that is always rate limited and never says for how long.
        stub = StubServer.start((req, body) -> {
            STUB_HITS.incrementAndGet();
            req.response().setStatusCode(429).putHeader("content-type", "application/json")
                    .end("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}");
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                timeouts: {first-byte: 1s}
                upstreams:
                  - {name: primary, base-url: "${SIM_URL}", keys: [{alias: p1, value: %s}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                  - {name: limited, base-url: "http://127.0.0.1:%d", keys: [{alias: l1, value: sk-ant-stub}]}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - name: quick-chain
                    when: {headers: {x-test-primary: quick}}
                    targets: [{upstream: primary}, {upstream: secondary}]
                    retry: {first-byte: 200ms}
                  - name: limited-chain
                    when: {headers: {x-test-primary: limited}}
                    targets: [{upstream: limited}, {upstream: secondary}]
                  - name: chain
                    targets: [{upstream: primary}, {upstream: secondary}]
                """.formatted(PRIMARY_KEY, stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    /** A 429's retry-after keeps the primary out of traffic for a second: wait until it serves again. */
    @BeforeEach
    void primaryServes() {
        Await.until(Duration.ofSeconds(5), () -> {
            HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("ready?", false));
            return "primary/p1".equals(r.headers().firstValue("x-sluice-served-by").orElse(null)) ? r : null;
        }, () -> "the primary serving again");
        h.recorder().clear();
    }

    @ParameterizedTest(name = "primary answers {0}, stream {1}")
    @CsvSource({
            "529,            false, 529 overloaded_error",
            "529,            true,  529 overloaded_error",
            "500,            false, 500 api_error",
            "500,            true,  500 api_error",
            "reset,          false, connect api_error",
            "reset,          true,  connect api_error",
            "slow:3000,      false, timeout timeout_error",
            "slow:3000,      true,  timeout timeout_error",
            "error-event:0,  true,  200 overloaded_error",
            "cut:1,          false, 200 api_error",
    })
    void everyRequestSucceedsOnTheSecondaryAndEachAttemptIsRecorded(String fault, boolean stream, String primaryOutcome) {
        for (int i = 0; i < REQUESTS; i++) {
            // A new conversation each time: one that was served before would start where it was served.
            HttpResponse<String> r = send(fault, stream, "matrix " + fault + " " + stream + " " + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertClean(r, stream);
            assertThat(r.headers().firstValue("x-sluice-attempts")).contains("2");
            assertThat(r.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
            assertThat(r.headers().firstValue("x-sluice-upstream")).contains("secondary");
            assertThat(r.headers().firstValue("x-sluice-route")).contains("chain");
            assertThat(r.headers().firstValue("x-sluice-tried")).contains("primary/p1 " + primaryOutcome + ", secondary/s1 200");
            List<JsonNode> records = records(r);
            assertThat(records).extracting(a -> a.path("upstream_key_alias").asText()).containsExactly("p1", "s1");
            if (fault.startsWith("cut")) {
                // A whole answer cut mid-body was generated, so billed, by the primary: an estimate, flagged.
                assertThat(new java.math.BigDecimal(records.get(0).path("cost_usd").asText())).isPositive();
                assertThat(records.get(0).path("usage_estimated").asBoolean()).isTrue();
            } else {
                assertThat(records.get(0).path("cost_usd").asText()).isEqualTo("0");
            }
            assertThat(records.get(1).path("status").asInt()).isEqualTo(200);
            assertThat(records.get(1).path("usage").path("output_tokens").asLong()).isPositive();
        }
    }

    @Test
    void aRouteWithAShortFirstByteLimitLeavesASilentPrimaryQuickly() {
        long t0 = System.nanoTime();
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("quick", true), "x-sim-fault",
                "slow:3000", "x-sim-fault-key", PRIMARY_KEY, "x-test-primary", "quick");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-route")).contains("quick-chain");
        assertThat(r.headers().firstValue("x-sluice-tried")).hasValueSatisfying(t -> assertThat(t).startsWith("primary/p1 timeout"));
        // The route's 200 ms, not timeouts.first-byte's full second, before the secondary was tried.
        assertThat(millis).isLessThan(900);
    }

    @Test
    void aRateLimitedPrimaryIsLeftAloneForItsRetryAfter() {
        HttpResponse<String> first = send("429", false, "limited 1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-sluice-tried")).contains("primary/p1 429 rate_limit_error, secondary/s1 200");
        // retry-after: 1 — for the next second the primary's only key is not tried at all. Only requests sent well
        // inside that second are checked: on a loaded machine the loop can outlast it, and after it the primary is due.
        long windowEnds = System.nanoTime() + Duration.ofMillis(700).toNanos();
        for (int i = 0; i < REQUESTS && System.nanoTime() < windowEnds; i++) {
            HttpResponse<String> r = send("429", i % 2 == 0, "limited again " + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-sluice-attempts")).contains("1");
            assertThat(r.headers().firstValue("x-sluice-tried")).contains("secondary/s1 200");
            assertThat(records(r)).hasSize(1);
        }
        assertThat(h.recorder().billed()).filteredOn(b -> PRIMARY_KEY.equals(b.upstreamKey())).hasSize(1);
    }

    @Test
    void aRateLimitWithoutRetryAfterFallsBackAtOnce() {
        int before = STUB_HITS.get();
        for (int i = 0; i < REQUESTS; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("no hint " + i, i % 2 == 0),
                    "x-test-primary", "limited");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-sluice-route")).contains("limited-chain");
            assertThat(r.headers().firstValue("x-sluice-tried")).contains("limited/l1 429 rate_limit_error, secondary/s1 200");
            assertThat(records(r)).extracting(a -> a.path("status").asInt()).containsExactly(429, 200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no wait before the fallback").isLessThan(Duration.ofSeconds(1));
        }
        assertThat(STUB_HITS.get() - before).isEqualTo(REQUESTS);
    }

    @Test
    void aStreamCutAfterItsFirstBytesEndsWithACleanErrorEventAndOneRecord() {
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> r = send("cut:4", true, "cut " + i);
            assertThat(r.statusCode()).isEqualTo(200);
            List<Http.Event> events = Http.events(r.body());
            assertThat(Http.names(events)).startsWith("message_start").endsWith("error").doesNotContain("message_stop");
            assertThat(events.getLast().json().path("error").path("type").asText()).isEqualTo("api_error");
            assertThat(r.headers().firstValue("x-sluice-attempts")).contains("1");
            assertThat(r.headers().firstValue("x-sluice-served-by")).contains("primary/p1");
            assertThat(records(r)).singleElement().satisfies(a -> assertThat(a.path("error_type").asText()).isEqualTo("api_error"));
        }
    }

    private static HttpResponse<String> send(String fault, boolean stream, String text) {
        return Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage(text, stream), "x-sim-fault", fault,
                "x-sim-fault-key", PRIMARY_KEY);
    }

    private static void assertClean(HttpResponse<String> r, boolean stream) {
        if (stream) {
            List<String> names = Http.names(Http.events(r.body()));
            assertThat(names).doesNotContain("error").endsWith("message_stop");
            assertThat(names.stream().filter("message_start"::equals)).hasSize(1);
        } else {
            assertThat(Http.json(r.body()).path("type").asText()).isEqualTo("message");
        }
    }

    /** The request's ledger records, attempt by attempt, read back as a client reads its cost. */
    static List<JsonNode> records(String gatewayUrl, HttpResponse<String> resp) {
        return Http.attempts(gatewayUrl, resp);
    }

    private static List<JsonNode> records(HttpResponse<String> resp) {
        return records(h.gatewayUrl(), resp);
    }
}
