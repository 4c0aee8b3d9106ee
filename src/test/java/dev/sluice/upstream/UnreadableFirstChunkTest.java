package dev.sluice.upstream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI-protocol upstream whose stream starts with a chunk that is not JSON: nothing has reached the client, so it
 * is a broken answer (502, or the route's next target), not an error event the client would take for the upstream's
 * own HTTP 500, as it was.
 */
class UnreadableFirstChunkTest {
    private static RawUpstream upstream;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RawUpstream(UnreadableFirstChunkTest::answer);
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: raw, provider: openai-compatible, base-url: "http://127.0.0.1:%d", keys: [{alias: r1, value: sk-raw-stub}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - name: chain
                    when: {headers: {x-test-route: chain}}
                    targets: [{upstream: raw}, {upstream: secondary}]
                  - name: alone
                    targets: [{upstream: raw}]
                """.formatted(upstream.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        h.close();
        upstream.close();
    }

    private static boolean answer(String mode, int onConnection, Socket socket, OutputStream out) throws IOException {
        String body = "data: <html>upstream proxy error</html>\n\ndata: [DONE]\n\n";
        out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\ncontent-length: "
                + body.getBytes(UTF_8).length + "\r\n\r\n" + body).getBytes(UTF_8));
        out.flush();
        return false;
    }

    @Test
    void aFirstChunkThatIsNotJsonIsABrokenAnswer() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("not json", true),
                "x-test-answer", "html");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).path("error").path("message").asText()).contains("'raw'").contains("could not be read");
        var records = Http.attempts(h.gatewayUrl(), r);
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().path("usage_estimated").asBoolean()).isTrue();
    }

    @Test
    void theRouteTakesItToItsNextTarget() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("next", true),
                "x-test-answer", "html-chain", "x-test-route", "chain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("message_stop");
        assertThat(r.headers().firstValue("x-sluice-served-by")).contains("secondary/s1");
    }
}
