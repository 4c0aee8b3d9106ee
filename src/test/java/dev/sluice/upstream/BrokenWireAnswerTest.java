package dev.sluice.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream that reads the request and answers something that is not HTTP a decoder accepts (conflicting lengths,
 * an oversized or cut head, a broken chunk, a JSON body past the parser's limits), or a status no API answers with: it was reached and may bill the
 * request, so the attempt is a broken answer, never sent to the same target again, and the client is told the
 * answer could not be read, not that the upstream could not be reached. Only a reused keep-alive connection that
 * closes with not one byte back (the upstream closed it idle as the request went out) is sent again.
 */
class BrokenWireAnswerTest {
    private static final String JSON_ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\","
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
    private static final String SSE_ANSWER = AnthropicSse.textAnswer("m", 10, List.of("hello"), "end_turn", 5);
    private static RawUpstream upstream;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RawUpstream(BrokenWireAnswerTest::answer);
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: raw, base-url: "http://127.0.0.1:%1$d", keys: [{alias: r1, value: sk-ant-stub}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                  - {name: raw-openai, provider: openai-compatible, base-url: "http://127.0.0.1:%1$d", keys: [{alias: o1, value: sk-raw-stub}]}
                timeouts: {first-byte: 10s, idle: 2s}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - name: chain
                    when: {headers: {x-test-route: chain}}
                    targets: [{upstream: raw}, {upstream: secondary}]
                  - name: openai
                    when: {headers: {x-test-route: openai}}
                    targets: [{upstream: raw-openai}]
                  - name: openai-chain
                    when: {headers: {x-test-route: openai-chain}}
                    targets: [{upstream: raw-openai}, {upstream: secondary}]
                  - name: alone
                    targets: [{upstream: raw}]
                """.formatted(upstream.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
        upstream.close();
    }

    /** Every answer but the keep-alive warm-up closes its connection, so each test starts with no pooled connection. */
    private static boolean answer(String mode, int onConnection, Socket socket, OutputStream out) throws IOException {
        switch (mode) {
            case "race" -> {
                if (onConnection > 1) {
                    return false; // closed, idle as the gateway sent its next request: not one byte back
                }
                boolean warmUp = upstream.hits("race") == 1;
                write(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + JSON_ANSWER.length()
                        + (warmUp ? "" : "\r\nconnection: close") + "\r\n\r\n" + JSON_ANSWER);
                return warmUp;
            }
            case "hangup" -> {
                return false; // read the request, then closed a fresh connection without a byte
            }
            case "conflicting-lengths", "conflicting-lengths-chain", "conflicting-lengths-logged" -> write(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                    + JSON_ANSWER.length() + "\r\ncontent-length: " + (JSON_ANSWER.length() + 7) + "\r\n\r\n" + JSON_ANSWER);
            case "oversized-head" -> write(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-padding: "
                    + "a".repeat(100 * 1024) + "\r\ncontent-length: " + JSON_ANSWER.length() + "\r\n\r\n" + JSON_ANSWER);
            case "cut-head" -> write(out, "HTTP/1.1 200 OK\r\ncontent-ty");
            case "" -> { // the OpenAI-protocol upstream (which gets no x-test-answer): a stream whose first chunk is a proxy's page
                String sse = "data: <html>upstream proxy error</html>\n\ndata: [DONE]\n\n";
                write(out, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\ncontent-length: "
                        + sse.getBytes(UTF_8).length + "\r\n\r\n" + sse);
            }
            case "long-number" -> whole(out, JSON_ANSWER.replace("\"output_tokens\":5", "\"output_tokens\":" + "9".repeat(2_000)));
            case "deep-nesting" -> whole(out, JSON_ANSWER.replace("\"text\":\"hi\"", "\"text\":\"hi\",\"x\":"
                    + "[".repeat(300) + "]".repeat(300)));
            case "bad-chunk" -> {
                write(out, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n");
                pause(300);
            }
            case "redirect" -> write(out, "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://10.9.9.9/v1/messages\r\n"
                    + "content-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
            case "status-999" -> write(out, "HTTP/1.1 999 Odd\r\ncontent-type: application/json\r\ncontent-length: "
                    + JSON_ANSWER.length() + "\r\nconnection: close\r\n\r\n" + JSON_ANSWER);
            case "complete-then-drop" -> write(out, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: "
                    + (SSE_ANSWER.length() + 100) + "\r\n\r\n" + SSE_ANSWER);
            case "head-then-silence" -> {
                write(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\":");
                pause(8_000);
            }
            default -> write(out, "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
        return false;
    }

    /** A whole JSON answer with a well-formed head: only its body breaks a limit of the gateway's JSON parser. */
    private static void whole(OutputStream out, String json) throws IOException {
        write(out, "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: "
                + json.getBytes(UTF_8).length + "\r\n\r\n" + json);
    }

    private static void write(OutputStream out, String raw) throws IOException {
        out.write(raw.getBytes(UTF_8));
        out.flush();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"conflicting-lengths", "oversized-head", "cut-head", "bad-chunk"})
    void anAnswerThatCannotBeReadIsABrokenAnswerNotSentAgain(String mode) {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage(mode, mode.equals("bad-chunk")),
                "x-test-answer", mode);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        JsonNode error = Http.json(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("api_error");
        assertThat(error.path("message").asText()).contains("'raw'").contains("could not be read").doesNotContain("reach");
        assertThat(upstream.hits(mode)).as("requests the upstream received").isEqualTo(1);
        assertThat(r.headers().firstValue("x-sluice-tried").orElse("")).doesNotContain("connect");
        JsonNode records = records(r);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).as(records.toString()).isTrue();
    }

    /**
     * A whole answer past the JSON parser's limits (a count of 2,000 digits; nesting deeper than 256) left the client
     * waiting with no answer and no record: the limit's exception has no location, and reading it threw.
     */
    @ParameterizedTest
    @ValueSource(strings = {"long-number", "deep-nesting"})
    void aBodyPastTheParsersLimitsIsABrokenAnswerNotAHang(String mode) {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage(mode, false), "x-test-answer", mode);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).path("error").path("message").asText()).contains("'raw'").contains("not a readable answer");
        assertThat(upstream.hits(mode)).as("requests the upstream received").isEqualTo(1);
        JsonNode records = records(r);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).as(records.toString()).isTrue();
    }

    /**
     * An OpenAI-protocol stream whose first chunk is not JSON: nothing has reached the client, so it is a broken answer
     * (502, or the route's next target), not an error event the client would take for the upstream's own HTTP 500.
     */
    @Test
    void aFirstChunkThatIsNotJsonIsABrokenAnswerAndGoesToTheNextTarget() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("not json", true),
                "x-test-route", "openai");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).path("error").path("message").asText()).contains("'raw-openai'").contains("could not be read");
        JsonNode records = records(r);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).isTrue();

        HttpResponse<String> next = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("next", true),
                "x-test-route", "openai-chain");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(next.body()).contains("message_stop");
        assertThat(next.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
    }

    /**
     * Vert.x logged each unreadable answer a second time, at ERROR and naming no upstream, beside the attempt loop's
     * own line that names it (an upstream answering something that is not HTTP did so on every attempt and check).
     */
    @Test
    void anUnreadableAnswerIsLoggedOnceWithItsUpstreamNotAgainByTheHttpLayer() {
        ch.qos.logback.classic.Logger vertx = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.vertx");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        vertx.addAppender(seen);
        try {
            HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("logged once", false),
                    "x-test-answer", "conflicting-lengths-logged");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        } finally {
            vertx.detachAppender(seen);
        }
        assertThat(seen.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void aBrokenAnswerGoesToTheNextTarget() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("next target", false),
                "x-test-answer", "conflicting-lengths-chain", "x-test-route", "chain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
    }

    /**
     * Nothing back at all, even on a fresh connection: a server that dropped the request unread. Tried once more as a
     * connection failure, as proxies retry a reset (the bytes-back cases above are the ones never sent there again).
     */
    @Test
    void aConnectionClosedWithoutAByteIsRetriedOnceLikeAReset() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("hang up", false),
                "x-test-answer", "hangup");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).path("error").path("message").asText()).contains("'raw'")
                .contains("closed the connection without answering");
        assertThat(upstream.hits("hangup")).isEqualTo(2);
        assertThat(records(r)).hasSize(2).allSatisfy(rec -> assertThat(rec.path("usage_estimated").asBoolean()).isTrue());
    }

    /** The keep-alive race: the one case the same request goes to the same target again, on a fresh connection. */
    @Test
    void aReusedConnectionClosedWithoutAByteIsSentAgain() {
        HttpResponse<String> warm = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("warm up", false),
                "x-test-answer", "race");
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("reuse", false),
                "x-test-answer", "race");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(upstream.hits("race")).isEqualTo(3);
        assertThat(r.headers().firstValue("x-sluice-tried").orElse("")).contains("raw/r1 connect").contains("raw/r1 200");
        JsonNode records = records(r);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).isTrue();
        assertThat(records.get(1).path("usage_estimated").asBoolean()).isFalse();
        assertThat(records.get(1).path("usage").path("output_tokens").asLong()).isEqualTo(5);
    }

    /** A redirect relayed would send the client, and its prompt, wherever the upstream named. */
    @ParameterizedTest
    @ValueSource(strings = {"redirect", "status-999"})
    void aStatusNoApiAnswersWithIsA502NamingTheUpstream(String mode) {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage(mode, false),
                "x-test-answer", mode);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(r.headers().firstValue("location")).isEmpty();
        JsonNode body = Http.json(r.body());
        assertThat(body.path("error").path("type").asText()).isEqualTo("api_error");
        assertThat(body.path("error").path("message").asText()).contains("'raw'").doesNotContain("10.9.9.9");
        assertThat(body.path("request_id").asText()).isEqualTo(r.headers().firstValue("request-id").orElseThrow());
        assertThat(upstream.hits(mode)).isEqualTo(1);
    }

    /** A complete answer (message_stop came) whose connection then drops ends cleanly, as its record says it did. */
    @Test
    void aCompleteStreamWhoseConnectionThenDropsEndsCleanly() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("complete", true),
                "x-test-answer", "complete-then-drop");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Http.names(Http.events(r.body()))).endsWith("message_stop").doesNotContain("error");
        JsonNode a = records(r).get(0);
        assertThat(a.path("error_type").isMissingNode() || a.path("error_type").isNull()).as(a.toString()).isTrue();
        assertThat(a.path("usage").path("output_tokens").asLong()).isEqualTo(5);
        assertThat(a.path("usage_estimated").asBoolean()).isFalse();
    }

    /** A 200 whose body never finishes: the upstream accepted the request and was answering, so the zero is flagged. */
    @Test
    void aWholeBodyThatNeverFinishesIsFlagged() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("never done", false),
                "x-test-answer", "head-then-silence");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
        JsonNode records = records(r);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).path("usage_estimated").asBoolean()).as(records.toString()).isTrue();
    }

    private static JsonNode records(HttpResponse<String> resp) {
        return Http.record(h.gatewayUrl(), Http.requestId(resp)).path("attempts");
    }
}
