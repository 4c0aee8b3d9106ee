package dev.sluice.front;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RawH2;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code server.max-connections} over HTTP/2: when every connection has a request on it, a stream on a connection past
 * the bound gets the 503 envelope, then the connection ends with a GOAWAY, as HTTP/1's ends with
 * {@code connection: close} ({@link ConnectionCapTest}).
 */
class ConnectionCapHttp2Test {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
              max-connections: 1
              tls: {self-signed: true}
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
            """);

    private static final Map<String, String> HEADERS = Map.of("x-api-key", SluiceHarness.GATEWAY_KEY,
            "anthropic-version", "2023-06-01", "content-type", "application/json");

    @Test
    void aStreamPastTheBoundIsAnsweredThenTheConnectionGoesAway() throws Exception {
        List<RawH2> held = new ArrayList<>();
        try {
            // Each connection keeps a request open (its body still coming), so none is idle to make room.
            for (int i = 0; i < 3; i++) {
                RawH2 h = RawH2.connect(SLUICE.gatewayPort());
                held.add(h);
                int stream = h.headers("POST", "/v1/messages", HEADERS);
                h.data(stream, "{\"model\":".getBytes(StandardCharsets.UTF_8), false);
                String status = null;
                StringBuilder body = new StringBuilder();
                boolean goaway = false;
                boolean closed = false;
                long until = System.currentTimeMillis() + 5_000;
                while (System.currentTimeMillis() < until && !closed) {
                    RawH2.Frame f;
                    try {
                        f = h.read(status == null ? 700 : 5_000);
                    } catch (SocketTimeoutException busy) {
                        break; // no answer: the request is being read, the connection is busy
                    }
                    if (f == null) {
                        closed = true;
                    } else if (f.type() == RawH2.HEADERS && f.stream() == stream) {
                        status = f.headers().status().toString();
                    } else if (f.type() == RawH2.DATA && f.stream() == stream) {
                        body.append(new String(f.payload(), StandardCharsets.UTF_8));
                    } else if (f.type() == RawH2.GOAWAY) {
                        goaway = true;
                    }
                }
                if (status != null) {
                    assertThat(status).isEqualTo("503");
                    assertThat(body.toString()).contains("overloaded_error").contains("server.max-connections");
                    assertThat(goaway).as("GOAWAY after the answer").isTrue();
                    assertThat(closed).as("then the connection closes").isTrue();
                    return;
                }
            }
            throw new AssertionError("no connection was refused with max-connections: 1 and 3 busy connections");
        } finally {
            for (RawH2 h : held) {
                h.close();
            }
        }
    }
}
