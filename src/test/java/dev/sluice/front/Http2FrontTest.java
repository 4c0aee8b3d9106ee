package dev.sluice.front;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RawH2;
import dev.sluice.testing.SluiceExtension;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The front over HTTP/2 (TLS with ALPN), where flow control hands a client bytes before anyone reads them and one
 * connection carries many requests (attack round 14): a stream refused before its body was read is reset, so what its
 * client sent is not held for a reader that never comes; the connection's window is bounded; a connection with no
 * stream open is closed after the idle timeout, however many pings it sends.
 */
class Http2FrontTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
              header-timeout: 2s
              idle-timeout: 1s
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

    private static final Map<String, String> WRONG_KEY = Map.of("x-api-key", "sk-wrong", "anthropic-version", "2023-06-01",
            "content-type", "application/json");

    @Test
    void aStreamRefusedBeforeItsBodyWasReadIsResetWithNoError() throws Exception {
        try (RawH2 h = RawH2.connect(SLUICE.gatewayPort())) {
            int stream = h.headers("POST", "/v1/messages", WRONG_KEY);
            h.data(stream, "{\"model\":\"claude-sonnet-4-5\",\"messages\":[".getBytes(StandardCharsets.UTF_8), false);
            String status = null;
            RawH2.Frame reset = null;
            StringBuilder answer = new StringBuilder();
            boolean answered = false;
            boolean answeredBeforeReset = false;
            long until = System.currentTimeMillis() + 5_000;
            while (reset == null && System.currentTimeMillis() < until) {
                RawH2.Frame f;
                try {
                    f = h.read(5_000);
                } catch (SocketTimeoutException e) {
                    break; // nothing more came: the assertions below say what is missing
                }
                assertThat(f).as("the connection stays open for its other streams").isNotNull();
                if (f.type() == RawH2.HEADERS && f.stream() == stream) {
                    status = f.headers().status().toString();
                } else if (f.type() == RawH2.DATA && f.stream() == stream) {
                    answer.append(new String(f.payload(), StandardCharsets.UTF_8));
                    answered |= f.endStream();
                } else if (f.type() == RawH2.RST_STREAM && f.stream() == stream) {
                    reset = f;
                    answeredBeforeReset = answered;
                }
            }
            assertThat(status).isEqualTo("401");
            assertThat(answeredBeforeReset).as("the whole answer, then the reset: " + answer).isTrue();
            assertThat(answer.toString()).contains("authentication_error");
            assertThat(reset).as("RST_STREAM after the answer").isNotNull();
            assertThat(reset.int32(0)).as("NO_ERROR: stop sending, the answer is complete").isZero();
        }
    }

    @Test
    void theConnectionWindowIsAMegabyteAndTheHeaderListMatchesHttp1() throws Exception {
        try (RawH2 h = RawH2.connect(SLUICE.gatewayPort())) {
            long headerList = -1;
            long connectionWindow = 65_535; // RFC 9113's initial window, raised by a WINDOW_UPDATE on stream 0
            for (int i = 0; i < 4; i++) {
                RawH2.Frame f = h.read(2_000);
                if (f.type() == RawH2.SETTINGS && (f.flags() & 0x1) == 0) {
                    for (int at = 0; at + 6 <= f.payload().length; at += 6) {
                        int id = (f.payload()[at] & 0xff) << 8 | (f.payload()[at + 1] & 0xff);
                        if (id == 0x6) { // SETTINGS_MAX_HEADER_LIST_SIZE
                            headerList = f.int32(at + 2);
                        }
                    }
                } else if (f.type() == RawH2.WINDOW_UPDATE && f.stream() == 0) {
                    connectionWindow += f.int32(0);
                    break;
                }
            }
            assertThat(connectionWindow).isLessThanOrEqualTo(1024 * 1024);
            assertThat(headerList).isEqualTo(64 * 1024);
        }
    }

    @Test
    void aConnectionWithNoStreamOpenIsClosedAfterTheIdleTimeoutWithAGoaway() throws Exception {
        try (RawH2 h = RawH2.connect(SLUICE.gatewayPort())) {
            int stream = h.headers("GET", "/healthz", Map.of());
            h.data(stream, new byte[0], true);
            boolean answered = false;
            boolean goaway = false;
            long until = System.currentTimeMillis() + 6_000;
            try {
                while (System.currentTimeMillis() < until) {
                    RawH2.Frame f = h.read(6_000);
                    if (f == null) {
                        break; // closed
                    }
                    answered |= f.type() == RawH2.DATA && f.stream() == stream && f.endStream();
                    goaway |= f.type() == RawH2.GOAWAY;
                }
            } catch (SocketTimeoutException e) {
                // falls through to the assertions: the connection was left open
            }
            assertThat(answered).isTrue();
            assertThat(goaway).as("closed for idleness with a GOAWAY, one second after its last stream").isTrue();
        }
    }
}
