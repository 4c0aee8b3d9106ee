package dev.sluice.day;

import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A second agent upstream that nobody bills: it answers the exact request a developer's CLI sent, so a served
 * answer can be compared with what the upstream gives for that request. The agent is a pure function of the
 * request, so this instance's answer is the one the billed upstream would give.
 */
final class Oracle implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final SimServer sim;
    private final HttpClient http = HttpClient.newHttpClient();

    Oracle() {
        sim = SimServer.start(vertx, SimOptions.defaults().withScript(SimOptions.SCRIPT_AGENT).withInstances(1)).await();
    }

    /** The oracle's answer content for the exchange's exact request bytes and answer-selecting headers. */
    String content(Tap.Exchange e) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/messages"))
                .header("x-api-key", "sk-oracle").POST(HttpRequest.BodyPublishers.ofByteArray(e.request()));
        e.headers().forEach(b::header);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            return "oracle status " + r.statusCode() + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return AnswerContent.of(r.body());
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
