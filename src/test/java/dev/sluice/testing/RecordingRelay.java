package dev.sluice.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;

/**
 * A transparent HTTP relay on 127.0.0.1 in front of a local port (the gateway, an upstream) that hands every
 * exchange, request and answer bytes, to a listener as it passes, so a test can read what a real client sent and
 * received. Hop-by-hop and length headers are dropped both ways; everything else is relayed as it came.
 */
public final class RecordingRelay implements AutoCloseable {
    /** Told of every exchange once its answer is read, before the answer goes back to the client. */
    @FunctionalInterface
    public interface Listener {
        void exchanged(HttpServerRequest request, Buffer requestBody, HttpClientResponse response, Buffer answer);
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient();
    private final HttpServer server;
    private final int targetPort;
    private final Listener listener;

    public RecordingRelay(int targetPort, Listener listener) {
        this.targetPort = targetPort;
        this.listener = listener;
        this.server = vertx.createHttpServer().requestHandler(this::relay).listen(0, "127.0.0.1").await();
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void relay(HttpServerRequest in) {
        in.body().onSuccess(body -> client.request(new RequestOptions().setMethod(in.method()).setHost("127.0.0.1")
                .setPort(targetPort).setURI(in.uri())).compose(out -> {
                    in.headers().forEach(h -> {
                        String n = h.getKey().toLowerCase(Locale.ROOT);
                        if (!n.equals("host") && !n.equals("content-length") && !n.equals("connection")) {
                            out.putHeader(h.getKey(), h.getValue());
                        }
                    });
                    return out.send(body).compose(resp -> resp.body().map(answer -> {
                        in.response().setStatusCode(resp.statusCode());
                        resp.headers().forEach(h -> {
                            String n = h.getKey().toLowerCase(Locale.ROOT);
                            if (!n.equals("content-length") && !n.equals("transfer-encoding") && !n.equals("connection")) {
                                in.response().putHeader(h.getKey(), h.getValue());
                            }
                        });
                        listener.exchanged(in, body, resp, answer);
                        return answer;
                    }));
                }).onSuccess(answer -> in.response().end(answer))
                .onFailure(e -> in.response().setStatusCode(502).end(Buffer.buffer("relay: " + e.getMessage()))));
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
