package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The head a client gets from an upstream that says more than it should (attack round 11): its proxies' and
 * infrastructure's headers, a {@code location} naming an internal host, a coding label on a plain body, retry hints
 * no one should sleep on. And what the gateway asks of it: an uncoded answer, which a server that would otherwise
 * gzip (no {@code accept-encoding} means any coding is acceptable) then sends.
 */
class RelayedHeadsTest {
    private static final String ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
    private static final String OVERLOADED = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
    /** The accept-encoding each test's request arrived with ("-" for none). */
    private static final Map<String, String> ACCEPTED = new ConcurrentHashMap<>();
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        stub = StubServer.start((req, body) -> {
            String test = req.getHeader("x-test-answer");
            String accepted = req.getHeader("accept-encoding");
            ACCEPTED.put(test, accepted == null ? "-" : accepted);
            HttpServerResponse resp = req.response().putHeader("content-type", "application/json");
            switch (test) {
                case "infrastructure" -> resp.putHeader("location", "http://10.0.0.5/internal")
                        .putHeader("content-location", "http://10.0.0.5/x").putHeader("x-backend-server", "ip-10-0-0-5.internal")
                        .putHeader("x-envoy-upstream-service-time", "12").putHeader("cf-ray", "8f00-LHR")
                        .putHeader("x-amzn-requestid", "a1b2").putHeader("www-authenticate", "Bearer realm=upstream")
                        .putHeader("server", "envoy").putHeader("via", "1.1 proxy.internal").putHeader("x-powered-by", "Express")
                        .putHeader("content-encoding", "br") // a label on a plain body
                        .putHeader("anthropic-organization-id", "org-gateway").putHeader("anthropic-ratelimit-tokens-remaining", "5")
                        .putHeader("anthropic-priority-input-tokens-remaining", "5").putHeader("request-id", "req_upstream")
                        .putHeader("x-request-id", "upstream-id").putHeader("anthropic-test-future-header", "kept")
                        .end(ANSWER);
                case "gzip-unless-identity" -> {
                    // RFC 9110 §12.5.3: no accept-encoding, any coding will do.
                    if ("identity".equals(accepted)) {
                        resp.end(ANSWER);
                    } else {
                        resp.putHeader("content-encoding", "gzip").end(Buffer.buffer(gzip(ANSWER)));
                    }
                }
                case "overloaded-forever", "overloaded-nonsense", "overloaded-ms" -> {
                    resp.setStatusCode(529).putHeader("x-should-retry", "true");
                    switch (test) {
                        case "overloaded-forever" -> resp.putHeader("retry-after", "1000000000");
                        case "overloaded-nonsense" -> resp.putHeader("retry-after", "NaN");
                        default -> resp.putHeader("retry-after", "Infinity").putHeader("retry-after-ms", "1e15");
                    }
                    resp.end(OVERLOADED);
                }
                default -> resp.setStatusCode(404).end();
            }
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: stub, base-url: "http://127.0.0.1:%d", keys: [{alias: a, value: sk-ant-a}]}
                routes:
                  - {match: "*", upstream: stub}
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static HttpResponse<String> call(String test, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "x-test-answer";
        all[1] = test;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage(test, false), all);
    }

    @Test
    void theUpstreamsInfrastructureAndAccountHeadersNeverReachTheClient() {
        HttpResponse<String> r = call("infrastructure");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ANSWER);
        HttpHeaders got = r.headers();
        for (String name : List.of("location", "content-location", "x-backend-server", "x-envoy-upstream-service-time", "cf-ray",
                "x-amzn-requestid", "www-authenticate", "server", "via", "x-powered-by", "content-encoding",
                "anthropic-organization-id", "anthropic-ratelimit-tokens-remaining", "anthropic-priority-input-tokens-remaining",
                "x-request-id")) {
            assertThat(got.firstValue(name)).as(name).isEmpty();
        }
        assertThat(got.firstValue("request-id").orElseThrow()).isNotEqualTo("req_upstream");
        assertThat(got.firstValue("anthropic-test-future-header")).as("the Anthropic wire's own headers pass").hasValue("kept");
    }

    @Test
    void theUpstreamIsAskedForAnUncodedAnswerWhateverTheClientAccepts() {
        HttpResponse<String> r = call("gzip-unless-identity", "accept-encoding", "gzip, br");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ANSWER);
        assertThat(ACCEPTED.get("gzip-unless-identity")).isEqualTo("identity");
    }

    @Test
    void aRetryHintIsRelayedAsTheGatewayReadsItAndNeverLongerThanItRestsAKey() {
        HttpResponse<String> forever = call("overloaded-forever");
        assertThat(forever.statusCode()).isEqualTo(529);
        assertThat(forever.headers().allValues("retry-after")).containsExactly(Long.toString(RetryAfter.MAX_MILLIS / 1000));
        assertThat(forever.headers().firstValue("x-should-retry")).hasValue("true");

        HttpResponse<String> nonsense = call("overloaded-nonsense");
        assertThat(nonsense.statusCode()).isEqualTo(529);
        assertThat(nonsense.headers().firstValue("retry-after")).as("an unreadable hint is dropped").isEmpty();

        HttpResponse<String> ms = call("overloaded-ms");
        assertThat(ms.statusCode()).isEqualTo(529);
        assertThat(ms.headers().allValues("retry-after-ms")).containsExactly(Long.toString(RetryAfter.MAX_MILLIS));
        assertThat(ms.headers().allValues("retry-after")).containsExactly(Long.toString(RetryAfter.MAX_MILLIS / 1000));
    }
}
