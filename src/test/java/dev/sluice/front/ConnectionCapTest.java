package dev.sluice.front;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code server.max-connections} (attack round 15: without a bound one client could hold every file descriptor the
 * process has). At the bound a new connection takes the place of the oldest idle one, so sockets nobody uses cannot
 * shut clients out; when every connection has a request on it, connections past the bound get a retryable 503 in
 * their door's envelope and are closed, and past the answer band they are closed as they are accepted.
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
              body-timeout: 30s
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
            """.formatted(CAP));

    private final List<RawHttp> held = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (RawHttp c : held) {
            c.close();
        }
        held.clear();
    }

    @Test
    void atTheBoundANewConnectionTakesTheOldestUnusedOnesPlace() throws Exception {
        double evictedBefore = metric("evicted");
        for (int i = 0; i < CAP + 3; i++) {
            held.add(RawHttp.connect(SLUICE.gatewayPort())); // opened, never used: an idle flood
        }
        RawHttp newest = held.getLast();
        newest.post("/v1/messages", Http.userMessage("after the flood", false));
        assertThat(newest.readHead()).as("the newcomer is served").isEqualTo(200);
        newest.readBody();
        assertThat(held.getFirst().closedWithin(3_000)).as("the oldest unused connection made room").isTrue();
        assertThat(metric("evicted")).isGreaterThanOrEqualTo(evictedBefore + 3);
    }

    @Test
    void whenEveryConnectionIsBusyConnectionsPastTheBoundAreAnsweredThenClosedOrClosedAtOnce() throws Exception {
        // Requests whose bodies are still coming keep their connections busy (the body timeout is 30 s).
        RawHttp refused = null;
        for (int i = 0; i <= CAP + 4 && refused == null; i++) {
            RawHttp c = RawHttp.connect(SLUICE.gatewayPort());
            held.add(c);
            c.head("POST", "/v1/messages", "content-length", "1000");
            c.write("{\"model\":".getBytes(ISO_8859_1));
            if (c.answeredWithin(500)) {
                refused = c;
            }
        }
        assertThat(refused).as("a connection past the bound, with no idle one to replace, is refused").isNotNull();
        assertThat(refused.readHead()).isEqualTo(503);
        JsonNode error = Http.json(refused.readBodyText());
        assertThat(error.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(error.path("error").path("message").asText()).contains("server.max-connections");
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
            flood.add(RawHttp.connect(SLUICE.gatewayPort()));
        }
        for (RawHttp c : flood) {
            try (c) {
                c.post("/v1/messages", Http.userMessage("flood", false));
                assertThat(c.readHead()).isEqualTo(503);
                answered++;
            } catch (IOException closed) {
                closedAtOnce++;
            }
        }
        // Not exactly BAND answers: the server accepts after the kernel has, so an answered connection that closed
        // meanwhile may leave room for one more answer.
        assertThat(answered).as("answered with a 503").isPositive();
        assertThat(closedAtOnce).as("closed as accepted").isPositive();
        assertThat(answered + closedAtOnce).isEqualTo(BAND + 8);

        // Slots come back as connections close: a new connection is served again.
        closeAll();
        RawHttp again = null;
        for (int attempt = 0; attempt < 50 && again == null; attempt++) {
            RawHttp c = RawHttp.connect(SLUICE.gatewayPort());
            held.add(c);
            c.post("/v1/messages", Http.userMessage("after", false));
            if (c.readHead() == 200) {
                again = c;
            } else {
                Thread.sleep(100); // the server notices the closes on its event loop
            }
        }
        assertThat(again).as("served once connections closed").isNotNull();
        assertThat(metric("capacity")).isPositive();
    }

    private static double metric(String reason) {
        String text = Http.send(Http.request(SLUICE.gatewayUrl(), "/metrics").GET().build()).body();
        String prefix = "sluice_connections_closed_total{reason=\"" + reason + "\"";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + prefix + " in /metrics");
    }
}
