package dev.sluice.day;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pass-through proxy between the CLI and what it talks to (the gateway or the agent upstream) that keeps
 * every {@code POST /v1/messages}: the exact request bytes and the headers that select the answer, the
 * answer bytes, and the gateway's {@code x-sluice-cache} status (absent when talking direct).
 */
final class Tap implements AutoCloseable {

    /** One Messages call as it passed, tagged with the scenario step it belongs to. */
    record Exchange(int step, String developer, byte[] request, Map<String, String> headers, int status, byte[] response,
                    String cacheStatus) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient();
    private final HttpServer server;
    private final int targetPort;
    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private volatile int step;
    private volatile String developer = "";

    Tap(int targetPort) {
        this.targetPort = targetPort;
        this.server = vertx.createHttpServer().requestHandler(this::relay).listen(0, "127.0.0.1").await();
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Tags the exchanges that follow. */
    void at(int step, String developer) {
        this.step = step;
        this.developer = developer;
    }

    List<Exchange> seen() {
        return List.copyOf(seen);
    }

    private void relay(HttpServerRequest in) {
        int tagStep = step;
        String tagDeveloper = developer;
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
                    if (in.method().name().equals("POST") && in.path().equals("/v1/messages")) {
                        Map<String, String> headers = new java.util.TreeMap<>();
                        for (String name : List.of("anthropic-version", "anthropic-beta", "content-type")) {
                            String v = in.getHeader(name);
                            if (v != null) {
                                headers.put(name, v);
                            }
                        }
                        seen.add(new Exchange(tagStep, tagDeveloper, body.getBytes(), headers, resp.statusCode(), answer.getBytes(),
                                resp.getHeader("x-sluice-cache")));
                    }
                    in.response().end(answer);
                }).onFailure(e -> in.response().setStatusCode(502).end(Buffer.buffer("tap: " + e.getMessage()))))
                .onFailure(e -> in.response().setStatusCode(502).end(Buffer.buffer("tap: " + e.getMessage()))));
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
