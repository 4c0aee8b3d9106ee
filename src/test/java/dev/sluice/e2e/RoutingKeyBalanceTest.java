package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * New conversations spread over an upstream's keys by requests in flight (not only by their hash), and
 * a key the upstream says is out of requests (its own rate-limit headers, its retry-after) gets none
 * until it resets.
 */
class RoutingKeyBalanceTest {
    static final String FIRST_KEY = "sk-ant-balance-first";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys: [{alias: k1, value: %s}, {alias: k2, value: "${UPSTREAM_KEY}"}]
            """.formatted(FIRST_KEY));

    @Test
    void conversationsThatWouldAllHashToOneKeySpreadByRequestsInFlight() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
        for (String session : sessionsOnFirstKey("spread", 4)) {
            HttpRequest req = Http.request(SLUICE.gatewayUrl(), "/v1/messages").header("x-claude-code-session-id", session)
                    .header("x-sim-ttft-ms", "1500")
                    .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("slow " + session, true))).build();
            streams.add(Http.client().sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            Thread.sleep(150); // the gateway has started the previous one: it is in flight
        }
        for (CompletableFuture<HttpResponse<String>> s : streams) {
            assertThat(s.get().statusCode()).isEqualTo(200);
        }
        List<String> keys = SLUICE.recorder().received().stream().map(ReceivedRequest::upstreamKey).toList();
        assertThat(keys).hasSize(4);
        assertThat(keys).filteredOn(FIRST_KEY::equals).hasSize(2);
        assertThat(keys).filteredOn(SluiceHarness.UPSTREAM_KEY::equals).hasSize(2);
    }

    @Test
    void aKeyOutOfRequestsGetsNoNewConversationsUntilItsReset() throws Exception {
        List<String> sessions = sessionsOnFirstKey("limited", 4);
        HttpResponse<String> limited = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("limit me", false),
                "x-claude-code-session-id", sessions.get(0), "x-sim-fault", "429", "x-sim-fault-key", FIRST_KEY);
        assertThat(limited.statusCode()).isEqualTo(200);
        assertThat(limited.headers().firstValue("x-sluice-tried")).contains("sim/k1 429 rate_limit_error, sim/k2 200");
        for (String s : sessions.subList(1, 3)) {
            HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hash says k1", false),
                    "x-claude-code-session-id", s);
            assertThat(r.headers().firstValue("x-sluice-tried")).as("k1 left alone").contains("sim/k2 200");
        }
        Thread.sleep(2_100); // past its retry-after (1 s) and its rate-limit reset (the next whole second)
        HttpResponse<String> back = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("k1 again", false),
                "x-claude-code-session-id", sessions.get(3));
        assertThat(back.headers().firstValue("x-sluice-tried")).contains("sim/k1 200");
    }

    /** New session ids whose hash picks the first of the two keys when both are idle. */
    private static List<String> sessionsOnFirstKey(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            String s = prefix + "-" + i;
            if (Math.floorMod(s.hashCode(), 2) == 0) {
                out.add(s);
            }
        }
        return out;
    }
}
