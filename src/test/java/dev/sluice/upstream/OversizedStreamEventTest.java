package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream whose event never ends (a broken or hostile upstream sending megabytes without a blank line) must not be
 * held in memory without bound: past 16 MB the attempt is a broken stream, before the first
 * event a failed attempt (502), after it a clean {@code event: error}; the bytes are never relayed.
 */
class OversizedStreamEventTest {
    private static final String START = AnthropicSse.messageStart("m", 5);
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() throws Exception {
        stub = StubServer.start((req, body) -> {
            var resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            if ("after-start".equals(req.getHeader("x-test-answer"))) {
                resp.write(START);
            }
            resp.write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"");
            Buffer mb = Buffer.buffer(new byte[1 << 20]);
            for (int i = 0; i < mb.length(); i++) {
                mb.setByte(i, (byte) 'a');
            }
            int[] sent = {0};
            Runnable[] more = new Runnable[1];
            more[0] = () -> {
                while (!resp.writeQueueFull() && sent[0] < 40 && !resp.closed()) {
                    resp.write(mb);
                    sent[0]++;
                }
                if (sent[0] >= 40 || resp.closed()) {
                    if (!resp.closed()) {
                        resp.end("\"}}\n\n");
                    }
                } else {
                    resp.drainHandler(v -> more[0].run());
                }
            };
            more[0].run();
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: endless, base-url: "http://127.0.0.1:%d", keys: [{alias: e1, value: sk-ant-stub}]}
                routes:
                  - {match: "*", upstream: endless}
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    @Test
    void anEndlessFirstEventIsAFailedAttempt() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("endless first", true),
                "x-test-answer", "first");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body().length()).isLessThan(10_000);
        assertThat(Http.json(r.body()).path("error").path("type").asText()).isEqualTo("api_error");
    }

    @Test
    void anEndlessLaterEventEndsTheStreamWithAnError() {
        HttpResponse<String> r = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("endless later", true),
                "x-test-answer", "after-start");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().length()).isLessThan(10_000);
        List<Http.Event> events = Http.events(r.body());
        assertThat(Http.names(events)).containsExactly("message_start", "error");
    }
}
