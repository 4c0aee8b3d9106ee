package dev.sluice.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A hand-written HTTP server on 127.0.0.1, for an answer the simulator never gives: a broken or odd upstream, a
 * webhook, a token or embeddings endpoint. A test writes only what it answers; this holds what every such test wrote
 * again: its own Vert.x (closed with it, so a rerun of the class starts afresh), a free port, the body read first.
 */
public final class StubServer implements AutoCloseable {
    /** Answers one request, called once its whole body is read (on the stub's event loop). */
    @FunctionalInterface
    public interface Answer {
        void answer(HttpServerRequest request, Buffer body);
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    private StubServer(Answer answer) {
        this.server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> answer.answer(req, body)))
                .listen(0, "127.0.0.1").await();
    }

    public static StubServer start(Answer answer) {
        return new StubServer(answer);
    }

    /** The stub's Vert.x, for timers: an answer that comes late, keep-alives at an interval. */
    public Vertx vertx() {
        return vertx;
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
