package dev.sluice.cache.stage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transparent HTTP relay between a client and the gateway that keeps a copy of every Messages request and
 * the answer the gateway gave it, so a test can read what a real CLI sent and received.
 */
final class RecordingProxy implements AutoCloseable {
    /** One Messages call as it passed. */
    record Exchange(String request, String response, String cacheStatus) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient();
    private final HttpServer server;
    private final int targetPort;
    private final List<Exchange> seen = new CopyOnWriteArrayList<>();

    RecordingProxy(int targetPort) {
        this.targetPort = targetPort;
        this.server = vertx.createHttpServer().requestHandler(this::relay).listen(0, "127.0.0.1").await();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<Exchange> seen() {
        return List.copyOf(seen);
    }

    void clear() {
        seen.clear();
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
                    return out.send(body);
                }).onSuccess(resp -> resp.body().onSuccess(answer -> {
                    in.response().setStatusCode(resp.statusCode());
                    resp.headers().forEach(h -> {
                        String n = h.getKey().toLowerCase(Locale.ROOT);
                        if (!n.equals("content-length") && !n.equals("transfer-encoding") && !n.equals("connection")) {
                            in.response().putHeader(h.getKey(), h.getValue());
                        }
                    });
                    if (in.path().equals("/v1/messages")) {
                        seen.add(new Exchange(body.toString(UTF_8), answer.toString(UTF_8),
                                String.valueOf(resp.getHeader("x-sluice-cache"))));
                    }
                    in.response().end(answer);
                })).onFailure(e -> in.response().setStatusCode(502).end(Buffer.buffer("proxy: " + e.getMessage()))));
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
