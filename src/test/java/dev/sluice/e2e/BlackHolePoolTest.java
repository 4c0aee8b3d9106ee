package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A primary that accepts connections, reads requests and never answers (a black hole), with a pool of one connection:
 * requests queue for that connection behind each other. Each must still leave for the fallback within its first-byte
 * limit. Before round 21 a request whose limit passed while it waited in the pool was sent once it got the connection,
 * with no timer left, and hung until the black hole closed.
 */
class BlackHolePoolTest {
    private static final int REQUESTS = 8;

    @Test
    void requestsQueuedBehindABlackHoledPoolStillFallBack() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket hole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SluiceHarness h = SluiceHarness.start("""
                     server: {port: 0, event-loops: 1}
                     auth: {keys: ["${GATEWAY_KEY}"]}
                     upstreams:
                       - {name: hole, base-url: "http://127.0.0.1:%d", max-connections: 1, keys: [{alias: h1, value: sk-ant-hole}]}
                       - {name: sim, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                     routing:
                       health: {consecutive-failures: 100000, min-requests: 100000}
                     routes:
                       - targets: [{upstream: hole}, {upstream: sim}]
                         retry: {first-byte: 300ms}
                     """.formatted(hole.getLocalPort()))) {
            Thread.ofVirtual().start(() -> swallow(hole, held));
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpRequest req = Http.request(h.gatewayUrl(), "/v1/messages")
                        .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("queued " + i, true))).build();
                answers.add(Http.client().sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get(); // the request's own 20 s timeout fails a hung one
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.headers().firstValue("x-sluice-served-by")).contains("sim/s1");
                assertThat(r.headers().firstValue("x-sluice-tried")).hasValueSatisfying(t -> assertThat(t).startsWith("hole/h1 timeout"));
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** Accepts every connection and reads what comes, never answering. */
    private static void swallow(ServerSocket hole, List<Socket> held) {
        while (!hole.isClosed()) {
            try {
                Socket s = hole.accept();
                held.add(s);
                Thread.ofVirtual().start(() -> {
                    try (InputStream in = s.getInputStream()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (IOException closed) {
                        // the gateway reset it
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }
}
