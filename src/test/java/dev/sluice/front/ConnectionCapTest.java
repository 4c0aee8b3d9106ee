package dev.sluice.front;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code server.max-connections}: connections past the bound get a retryable 503 in their door's envelope and are
 * closed; past the bound's answer band they are closed as they are accepted; slots come back as connections close.
 * Without the bound one client could hold every file descriptor the process has (attack round 15).
 */
class ConnectionCapTest {
    private static final int CAP = 4;
    /** The bound's answer band: max(64, CAP / 8). */
    private static final int BAND = 64;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
              max-connections: %d
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
            """.formatted(CAP));

    @Test
    void connectionsPastTheBoundAreAnsweredInTheirDoorsEnvelopeThenClosedOrClosedAtOnce() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        try {
            // Fill the bound with kept-alive connections that each made a request (the harness's own clients may
            // hold some of the slots: the first refusal comes at CAP + 1 connections at the latest).
            RawHttp refused = null;
            for (int i = 0; i <= CAP && refused == null; i++) {
                RawHttp c = RawHttp.connect(SLUICE.gatewayPort());
                held.add(c);
                c.post("/v1/messages", Http.userMessage("fill " + i, false));
                if (c.readHead() == 503) {
                    refused = c;
                } else {
                    assertThat(c.status()).isEqualTo(200);
                    c.readBody();
                }
            }
            assertThat(refused).as("a connection past the bound is refused").isNotNull();
            assertThat(held.size() - 1).as("connections served before the refusal").isLessThanOrEqualTo(CAP);
            JsonNode error = Http.json(refused.readBodyText());
            assertThat(error.path("error").path("type").asText()).isEqualTo("overloaded_error");
            assertThat(error.path("request_id").asText()).startsWith("req_");
            assertThat(refused.header("retry-after")).isEqualTo("1");
            assertThat(refused.header("x-should-retry")).isEqualTo("true");
            assertThat(refused.header("connection")).isEqualTo("close");
            assertThat(refused.closedWithin(3_000)).isTrue();

            // The OpenAI door's clients read OpenAI's envelope.
            try (RawHttp openai = RawHttp.connect(SLUICE.gatewayPort())) {
                openai.post("/v1/chat/completions", "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "anthropic-version", null, "authorization", "Bearer " + SluiceHarness.GATEWAY_KEY);
                assertThat(openai.readHead()).isEqualTo(503);
                JsonNode body = Http.json(openai.readBodyText());
                assertThat(body.path("error").path("message").asText()).contains("server.max-connections");
                assertThat(body.has("type")).as("not Anthropic's envelope").isFalse();
            }

            // Past the answer band a connection is closed without an answer.
            int answered = 0;
            int closedAtOnce = 0;
            List<RawHttp> flood = new ArrayList<>();
            for (int i = 0; i < BAND + 8; i++) {
                RawHttp c = RawHttp.connect(SLUICE.gatewayPort());
                flood.add(c);
            }
            for (RawHttp c : flood) {
                try {
                    c.post("/v1/messages", Http.userMessage("flood", false));
                    c.readHead();
                    assertThat(c.status()).isEqualTo(503);
                    answered++;
                } catch (IOException closed) {
                    closedAtOnce++;
                } finally {
                    c.close();
                }
            }
            assertThat(answered).as("answered with a 503").isPositive().isLessThanOrEqualTo(BAND);
            assertThat(closedAtOnce).as("closed as accepted").isPositive();
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }

        // Slots come back as connections close: a new connection is served again.
        RawHttp again = null;
        for (int attempt = 0; attempt < 50 && again == null; attempt++) {
            RawHttp c = RawHttp.connect(SLUICE.gatewayPort());
            c.post("/v1/messages", Http.userMessage("after", false));
            if (c.readHead() == 200) {
                again = c;
            } else {
                c.close();
                Thread.sleep(100); // the server notices the closes on its event loop
            }
        }
        assertThat(again).as("served once connections closed").isNotNull();
        again.close();
        String metrics = Http.send(Http.request(SLUICE.gatewayUrl(), "/metrics").GET().build()).body();
        assertThat(metrics).containsPattern("sluice_connections_closed_total\\{reason=\"capacity\"[^}]*} [1-9]");
    }
}
