package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream (or a proxy in front of it) that answers something no client can read: an HTML page or a cut JSON with
 * status 200, an empty 200, an HTML error page naming internal addresses. Nothing of it has reached the client when the
 * gateway reads it, so a 200 is a failed attempt like a broken connection (the next target serves, else a 502 in the
 * client's envelope), and an error page becomes an envelope naming the upstream and its status, never its text.
 */
class UnreadableUpstreamAnswerTest {
    private static final java.util.concurrent.atomic.AtomicInteger HITS = new java.util.concurrent.atomic.AtomicInteger();
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        stub = StubServer.start((req, body) -> {
            HITS.incrementAndGet();
            String mode = req.getHeader("x-test-answer");
            var resp = req.response();
            switch (mode == null ? "" : mode) {
                case "html-200" -> resp.putHeader("content-type", "text/html").end("<html>maintenance</html>");
                case "cut-json-200" -> resp.putHeader("content-type", "application/json").end("{\"id\":\"msg_1\",\"usage\":");
                case "empty-200" -> resp.putHeader("content-type", "application/json").end();
                case "cut-200" -> resp.putHeader("content-type", "application/json").putHeader("content-length", "100")
                        .write("{\"id\":\"msg_1\",").onComplete(w -> req.connection().close());
                case "no-usage-200" -> resp.putHeader("content-type", "application/json").end("{\"id\":\"msg_1\",\"type\":"
                        + "\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],"
                        + "\"stop_reason\":\"end_turn\"}");
                case "huge-usage-200", "bigint-usage-200", "float-usage-200" -> resp.putHeader("content-type", "application/json")
                        .end(answerWithOutputTokens(switch (mode) {
                            case "huge-usage-200" -> "9000000000000000000";
                            case "bigint-usage-200" -> "100000000000000000000000";
                            default -> "1e30";
                        }));
                case "sse-no-stop-200" -> resp.putHeader("content-type", "text/event-stream").end(AnthropicSse.messageStart("m", 7)
                        + AnthropicSse.TEXT_BLOCK_START + AnthropicSse.textDelta("The first half of"));
                case "sse-empty-200" -> resp.putHeader("content-type", "text/event-stream").end();
                case "sse-cut-200" -> resp.putHeader("content-type", "text/event-stream").setChunked(true)
                        .writeHead().onComplete(w -> req.connection().close()); // the head, then the connection breaks
                case "silent" -> stub.vertx().setTimer(10_000, t -> req.connection().close());
                case "html-502" -> resp.setStatusCode(502).putHeader("content-type", "text/html")
                        .end("<html><body>502 Bad Gateway: upstream 10.0.0.5:8080 refused</body></html>");
                default -> resp.setStatusCode(404).end();
            }
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: flaky, base-url: "http://127.0.0.1:%d", keys: [{alias: f1, value: sk-ant-stub}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                timeouts: {first-byte: 3s}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - name: alone
                    when: {headers: {x-test-route: alone}}
                    targets: [{upstream: flaky}]
                  - name: chain
                    targets: [{upstream: flaky}, {upstream: secondary}]
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"html-200", "cut-json-200", "empty-200"})
    void anUnreadable200IsAFailedAttemptAndTheNextTargetServes(String answer) {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("unreadable " + answer, false),
                "x-test-answer", answer);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(r.body()).path("type").asText()).isEqualTo("message");
        assertThat(r.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
        JsonNode records = records(r);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("error_type").asText()).isEqualTo("api_error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"html-200", "cut-json-200", "empty-200", "cut-200"})
    void anUnreadable200FromTheOnlyTargetIsA502InTheClientsEnvelope(String answer) {
        int before = HITS.get();
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("alone " + answer, false),
                "x-test-answer", answer, "x-test-route", "alone");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        JsonNode body = Http.json(r.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(body.path("error").path("message").asText()).contains("flaky");
        // One record per attempt the upstream received, each a failure whose usage is flagged: the upstream may have
        // billed an answer the gateway could not read.
        JsonNode records = records(r);
        assertThat(records).hasSize(HITS.get() - before);
        records.forEach(a -> assertThat(a.path("error_type").asText()).isEqualTo("api_error"));
        records.forEach(a -> assertThat(a.path("usage_estimated").asBoolean()).isTrue());
    }

    /**
     * The request reached the upstream, and then no usage could be read: its stream ended or broke before its first
     * event, or nothing came before the first-byte timeout. The upstream may still bill the prompt, so each record's
     * zero is flagged as an estimate, never recorded as an exact zero.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sse-empty-200", "sse-cut-200", "silent"})
    void anAttemptTheUpstreamMayHaveBilledIsFlaggedWhenNoUsageCameBack(String answer) {
        int before = HITS.get();
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("flag " + answer, true),
                "x-test-answer", answer, "x-test-route", "alone");
        assertThat(r.statusCode()).as(r.body()).isIn(502, 504);
        JsonNode records = records(r);
        assertThat(records).hasSize(HITS.get() - before).isNotEmpty();
        records.forEach(a -> assertThat(a.path("usage_estimated").asBoolean()).as(a.toString()).isTrue());
    }

    @org.junit.jupiter.api.Test
    void anHtmlErrorPageBecomesAnEnvelopeWithoutItsText() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("html error", false),
                "x-test-answer", "html-502", "x-test-route", "alone");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).doesNotContain("10.0.0.5").doesNotContain("<html>");
        JsonNode body = Http.json(r.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(body.path("error").path("message").asText()).contains("502");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    /** A self-hosted server that leaves usage out: the answer is served, and its record's zero is flagged, not exact. */
    @Test
    void anAnswerWithoutUsageIsServedAndItsRecordFlagged() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("no usage", false),
                "x-test-answer", "no-usage-200", "x-test-route", "alone");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode records = records(r);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).as(records.toString()).isTrue();
    }

    /**
     * An upstream that reports an absurd output count (past any context window, past a long, as a float): the answer
     * is served, and its record holds the count at {@code Usage.MAX_COUNT}, flagged as an estimate and priced from
     * it, never an exact $0 from a price that overflowed, and never a count a ledger's sums would overflow on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"huge-usage-200", "bigint-usage-200", "float-usage-200"})
    void anAbsurdReportedCountIsHeldFlaggedAndStillPriced(String answer) {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("absurd " + answer, false),
                "x-test-answer", answer, "x-test-route", "alone");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = records(r).get(0);
        assertThat(a.path("usage").path("output_tokens").asLong()).as(a.toString()).isEqualTo(dev.sluice.wire.Usage.MAX_COUNT);
        assertThat(a.path("usage_estimated").asBoolean()).as(a.toString()).isTrue();
        assertThat(new java.math.BigDecimal(a.path("cost_usd").asText())).as(a.toString())
                .isGreaterThan(java.math.BigDecimal.valueOf(100)).isLessThanOrEqualTo(java.math.BigDecimal.valueOf(1_000_000));
        assertThat(r.headers().firstValue("x-sluice-cost-usd")).hasValueSatisfying(c -> assertThat(c).isNotEqualTo("0"));
    }

    /**
     * A stream whose connection closes cleanly before its {@code message_stop}: the client is told with an error
     * event (a client reading a clean end would take the half answer for the whole), and the record says so.
     */
    @Test
    void aStreamThatEndsCleanlyButShortOfItsEndIsReportedAsBroken() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("no stop", true),
                "x-test-answer", "sse-no-stop-200", "x-test-route", "alone");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("The first half of").doesNotContain("message_stop");
        assertThat(r.body()).contains("event: error").contains("ended before the answer was complete");
        JsonNode a = records(r).get(0);
        assertThat(a.path("error_type").asText()).as(a.toString()).isEqualTo("api_error");
        assertThat(a.path("usage").path("input_tokens").asLong()).isEqualTo(7);
    }

    private static String answerWithOutputTokens(String count) {
        return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\","
                + "\"usage\":{\"input_tokens\":10,\"output_tokens\":" + count + "}}";
    }

    private static JsonNode records(HttpResponse<String> resp) {
        return Http.record(h.gatewayUrl(), Http.requestId(resp)).path("attempts");
    }
}
