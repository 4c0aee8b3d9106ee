package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a body read holds against the gateway-wide {@link BodyBudget}. */
class BodyReaderTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /**
     * The array grows by doubling, so a body of unannounced length holds more than its length; the budget counted only
     * the length, and bodies at its line held up to twice it (attack round 14: with the heap's rounding of large arrays,
     * a quarter-heap budget of HTTP/2 uploads filled a 192 MB heap). It counts the array, and the release matches.
     */
    @Test
    void theBudgetCountsTheMemoryABodyHoldsNotOnlyItsLength() throws Exception {
        BodyBudget budget = new BodyBudget(64L * 1024 * 1024);
        AtomicReference<Exchange> read = new AtomicReference<>();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            req.pause();
            BodyReader.read(vertx.getOrCreateContext(), req, 32L * 1024 * 1024, 10_000, budget).onComplete(ar -> {
                Exchange ex = new Exchange(RequestIds.next(), System.nanoTime(), req, Operation.MESSAGES, "POST /v1/messages",
                        AnthropicProtocol.INSTANCE, Snapshot.of(SluiceConfig.defaults(), List.of()));
                ex.body(ar.result(), ar.result());
                read.set(ex);
                req.response().end(String.valueOf(budget.held()));
            });
        }).listen(0, "127.0.0.1").await();
        byte[] body = new byte[600_000];
        // No content-length: the upload is chunked, so the reader cannot size its array from a declared length.
        HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        RequestBody got = read.get().originalBody();
        assertThat(got.length()).isEqualTo(body.length);
        assertThat(got.array().length).as("the array doubled past the body's length").isGreaterThan(body.length);
        assertThat(Long.parseLong(resp.body())).as("held while the exchange runs").isEqualTo(got.array().length);

        new InspectStage(budget).onComplete(read.get());
        assertThat(budget.held()).as("released in full when the exchange ends").isZero();
    }
}
