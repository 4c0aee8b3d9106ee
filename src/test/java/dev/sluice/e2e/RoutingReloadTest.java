package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.LiveConfig;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routes live in the configuration snapshot: a reload changes them while requests run, without dropping
 * any, and what routing learned (an open breaker) is not forgotten by a reload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingReloadTest {
    static final String PRIMARY_KEY = "sk-ant-primary-reload";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(config("primary", "secondary"));

    static String config(String first, String second) {
        return """
                server: {port: 0, event-loops: 2}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: primary, base-url: "${SIM_URL}", keys: [{alias: p1, value: %s}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                routing:
                  health: {open-for: 60s}
                routes:
                  - name: %s-first
                    targets: [{upstream: %s}, {upstream: %s}]
                """.formatted(PRIMARY_KEY, first, first, second);
    }

    @Test
    @Order(1)
    void reloadsUnderLoadSwapTheOrderWithoutDroppingARequest() throws Exception {
        LiveConfig live = SLUICE.harness().gateway().live();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        for (int c = 0; c < 6; c++) {
            int client = c;
            clients.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    boolean stream = client % 2 == 0;
                    HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                            Http.userMessage("load " + client + " " + i, stream));
                    if (r.statusCode() != 200 || !r.body().contains(stream ? "message_stop" : "\"usage\"")) {
                        problems.add(r.statusCode() + " " + r.body());
                    }
                    done.incrementAndGet();
                }
            });
        }
        try {
            for (int i = 0; i < 8; i++) {
                Thread.sleep(100);
                String first = i % 2 == 0 ? "secondary" : "primary";
                live.apply(config(first, i % 2 == 0 ? "primary" : "secondary"), "test", "test", "test");
                HttpResponse<String> after = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("after " + i, false));
                assertThat(after.headers().firstValue("x-sluice-route")).contains(first + "-first");
                assertThat(after.headers().firstValue("x-sluice-served-by")).contains(first + "/" + first.charAt(0) + "1");
            }
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(problems).as("failed requests during reloads").isEmpty();
        assertThat(done.get()).isGreaterThan(20);
    }

    /** Last: it leaves the primary's breaker open. */
    @Test
    @Order(2)
    void anOpenBreakerStaysOpenAcrossAReload() {
        LiveConfig live = SLUICE.harness().gateway().live();
        live.apply(config("primary", "secondary"), "test", "test", "test");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("break " + i, false),
                    "x-sim-fault", "500", "x-sim-fault-key", PRIMARY_KEY);
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("skipped", false))
                .headers().firstValue("x-sluice-tried")).contains("secondary/s1 200");
        live.apply(config("primary", "secondary").replace("open-for: 60s", "open-for: 50s"), "test", "test", "test");
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("still skipped", false))
                .headers().firstValue("x-sluice-tried")).contains("secondary/s1 200");
    }
}
