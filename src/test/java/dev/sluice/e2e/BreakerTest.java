package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target failing half its requests is skipped within seconds (its breaker opens) and probed back
 * when it recovers. The primary fails every other request it gets (the client asks the simulator to,
 * for the primary's key only); the secondary is healthy.
 */
class BreakerTest {
    static final String PRIMARY_KEY = "sk-ant-primary-half-fails";
    static final String ADMIN_KEY = "sk-admin-breaker-test";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            admin: {keys: [{value: %s, role: read}]}
            upstreams:
              - {name: primary, base-url: "${SIM_URL}", keys: [{alias: p1, value: %s}]}
              - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
            routing:
              health: {window: 10s, min-requests: 10, failure-rate: 0.5, open-for: 1s, probe-interval: 200ms}
            routes:
              - targets: [{upstream: primary}, {upstream: secondary}]
            """.formatted(ADMIN_KEY, PRIMARY_KEY));

    @Test
    void aTargetFailingHalfItsRequestsIsSkippedWithinSecondsAndProbedBack() throws Exception {
        long t0 = System.nanoTime();
        int sent = 0;
        int primaryTries = 0;
        Duration skippedAfter = null;
        long lastOnPrimary = t0;
        while (skippedAfter == null && sent < 200) {
            // Every other request the primary gets fails with a 500.
            String fault = primaryTries % 2 == 0 ? "500" : "none";
            long sentAt = System.nanoTime();
            HttpResponse<String> r = post("half " + sent, fault);
            sent++;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String tried = r.headers().firstValue("x-sluice-tried").orElseThrow();
            if (tried.startsWith("primary/")) {
                primaryTries++;
                lastOnPrimary = sentAt;
            } else {
                skippedAfter = Duration.ofNanos(System.nanoTime() - t0);
            }
        }
        assertThat(skippedAfter).as("the primary skipped").isNotNull().isLessThan(Duration.ofSeconds(5));
        assertThat(primaryTries).as("attempts on the primary before its breaker opened").isBetween(10, 12);
        // Open: every request goes straight to the secondary, in one attempt.
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = post("while open " + i, "500");
            assertThat(r.headers().firstValue("x-sluice-tried")).contains("secondary/s1 200");
        }

        // Operators see it: the breaker, the window's failures, the keys (by alias only).
        HttpResponse<String> status = Http.send(Http.request(SLUICE.gatewayUrl(), "/sluice/v1/routing")
                .setHeader("x-api-key", ADMIN_KEY).GET().build());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        JsonNode primary = Http.json(status.body()).path("upstreams").path("primary");
        assertThat(primary.path("breaker").asText()).isEqualTo("open");
        assertThat(primary.path("window_failures").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(primary.path("keys").has("p1")).isTrue();
        assertThat(status.body()).doesNotContain(PRIMARY_KEY);
        assertThat(Http.send(Http.request(SLUICE.gatewayUrl(), "/sluice/v1/routing").GET().build()).statusCode())
                .as("a gateway key is not an admin key").isEqualTo(401);

        // The primary recovers: after open-for a probe reaches it, succeeds, and traffic returns.
        // It opened while the last request that tried the primary was under way.
        long opened = lastOnPrimary;
        String servedBy = null;
        while (!"primary/p1".equals(servedBy) && System.nanoTime() - opened < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(50);
            servedBy = post("recovered " + System.nanoTime(), "none").headers().firstValue("x-sluice-served-by").orElse(null);
        }
        assertThat(servedBy).as("a probe served by the primary").isEqualTo("primary/p1");
        // Not before open-for (1s), and promptly after.
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        for (int i = 0; i < 5; i++) {
            assertThat(post("closed " + i, "none").headers().firstValue("x-sluice-served-by")).contains("primary/p1");
        }
    }

    private static HttpResponse<String> post(String text, String fault) {
        return Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage(text, false), "x-sim-fault", fault,
                "x-sim-fault-key", PRIMARY_KEY);
    }
}
