package dev.sluice.respond;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.Snapshot;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.pipeline.Response;
import dev.sluice.testing.RawH2;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A whole answer its client never takes (attack round 14): over HTTP/2 a client that grants no flow-control window
 * kept the answer queued and its exchange open for as long as the connection lived. After the idle timeout (here one
 * second; in production at least a minute) the stream is reset and the exchange ends.
 */
class WholeAnswerStallTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void anAnswerTheClientLeavesUnreadIsResetAfterTheIdleTimeout() throws Exception {
        Snapshot snapshot = Snapshot.of(new ConfigLoader(Map.of()).parse("test", "timeouts: {idle: 1s}"), List.of(StreamSettings.PART));
        ClientResponder responder = new ClientResponder(vertx, 100);
        Pipeline pipeline = new Pipeline(List.of(), null, responder);
        CompletableFuture<Void> exchangeOver = new CompletableFuture<>();
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                        .setAlpnVersions(List.of(HttpVersion.HTTP_2))
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.certificatePath()).setKeyPath(cert.privateKeyPath())))
                .requestHandler(req -> {
                    Exchange ex = new Exchange(RequestIds.next(), System.nanoTime(), req, Operation.MESSAGES, "POST /v1/messages",
                            AnthropicProtocol.INSTANCE, snapshot);
                    Buffer answer = Buffer.buffer(new byte[200_000]);
                    responder.respond(ex, pipeline, new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(), answer))
                            .onComplete(ar -> exchangeOver.complete(null));
                }).listen(0, "127.0.0.1").await();
        try (RawH2 h = RawH2.connect(server.actualPort(), 0)) { // no window: the client takes no byte of any answer
            int stream = h.headers("GET", "/v1/messages", Map.of());
            h.data(stream, new byte[0], true);
            RawH2.Frame reset = null;
            long until = System.currentTimeMillis() + 8_000;
            try {
                while (reset == null && System.currentTimeMillis() < until) {
                    RawH2.Frame f = h.read(8_000);
                    if (f == null) {
                        break;
                    }
                    if (f.type() == RawH2.RST_STREAM && f.stream() == stream) {
                        reset = f;
                    }
                }
            } catch (SocketTimeoutException e) {
                // nothing came: asserted below
            }
            assertThat(reset).as("the stalled stream is reset").isNotNull();
        }
        exchangeOver.get(5, TimeUnit.SECONDS);
    }
}
