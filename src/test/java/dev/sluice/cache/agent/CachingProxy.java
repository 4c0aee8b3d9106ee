package dev.sluice.cache.agent;

import dev.sluice.cache.CacheCapture;
import dev.sluice.cache.CacheControls;
import dev.sluice.cache.CacheDecision;
import dev.sluice.cache.CachePolicy;
import dev.sluice.cache.CacheRequest;
import dev.sluice.cache.ResponseCache;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cache in front of an upstream, wired the way the pipeline stage will wire it (see
 * {@link ResponseCache}): lookup before forwarding, replay a hit, feed a miss's events to its capture
 * while relaying them, finish the capture at the end. A test double of the stage, not the stage.
 */
public final class CachingProxy implements AutoCloseable {
    /** What the proxy did with one Messages request, in arrival order. */
    public record Seen(String keyId, String status, byte[] body) {
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpClient client;
    private final ResponseCache cache;
    private final CachePolicy policy;
    private final Map<String, Identity> keys;
    private final int upstreamPort;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Future<CacheCapture.Outcome>> pending = new CopyOnWriteArrayList<>();

    private CachingProxy(Vertx vertx, ResponseCache cache, CachePolicy policy, Map<String, Identity> keys, int upstreamPort) {
        this.vertx = vertx;
        this.cache = cache;
        this.policy = policy;
        this.keys = keys;
        this.upstreamPort = upstreamPort;
        this.client = vertx.createHttpClient();
        this.server = vertx.createHttpServer().requestHandler(this::handle);
    }

    public static CachingProxy start(Vertx vertx, ResponseCache cache, CachePolicy policy, Map<String, Identity> keys, int upstreamPort) {
        CachingProxy p = new CachingProxy(vertx, cache, policy, keys, upstreamPort);
        p.server.listen(0, "127.0.0.1").await();
        return p;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Waits for every capture still being stored and returns how each ended, in the order they finished. */
    public List<CacheCapture.Outcome> settle() {
        List<CacheCapture.Outcome> out = new ArrayList<>();
        for (Future<CacheCapture.Outcome> f : pending) {
            out.add(f.await());
        }
        return out;
    }

    public void clear() {
        seen.clear();
        pending.clear();
    }

    private void handle(HttpServerRequest req) {
        if (req.method() == HttpMethod.HEAD) {
            req.response().end();
            return;
        }
        req.body().onSuccess(body -> {
            if (!req.path().equals("/v1/messages")) {
                forward(req, body, null);
                return;
            }
            String keyId = req.getHeader("x-api-key");
            Identity who = keys.get(keyId);
            if (who == null) {
                req.response().setStatusCode(401).end("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}");
                return;
            }
            byte[] bytes = body.getBytes();
            boolean stream;
            try {
                stream = dev.sluice.wire.Json.MAPPER.readTree(bytes).path("stream").asBoolean(false);
            } catch (java.io.IOException e) {
                stream = false;
            }
            List<String> context = List.of("target=scripted", "anthropic-beta=" + req.getHeader("anthropic-beta"),
                    "anthropic-version=" + req.getHeader("anthropic-version"));
            CacheRequest cr = new CacheRequest(who, policy, CacheControls.parse(req.headers()), bytes, bytes.length, context, stream);
            cache.lookup(cr).onSuccess(d -> {
                seen.add(new Seen(keyId, d.status(), bytes));
                if (d instanceof CacheDecision.Hit hit) {
                    replay(req, hit);
                } else {
                    forward(req, body, d instanceof CacheDecision.Miss m ? m.capture() : null);
                }
            });
        });
    }

    private static void replay(HttpServerRequest req, CacheDecision.Hit hit) {
        req.response().putHeader("x-sluice-cache", "hit");
        if (hit.events() != null) {
            req.response().putHeader("content-type", "text/event-stream").setChunked(true);
            for (SseEvent e : hit.events()) {
                req.response().write(Buffer.buffer(e.raw()));
            }
            req.response().end();
        } else {
            req.response().putHeader("content-type", "application/json").end(Buffer.buffer(hit.body()));
        }
    }

    private void forward(HttpServerRequest req, Buffer body, CacheCapture capture) {
        client.request(req.method(), upstreamPort, "127.0.0.1", req.uri()).compose(out -> {
            req.headers().forEach(h -> {
                String n = h.getKey().toLowerCase(java.util.Locale.ROOT);
                if (!n.equals("host") && !n.equals("content-length") && !n.equals("connection")) {
                    out.putHeader(h.getKey(), h.getValue());
                }
            });
            return out.send(body);
        }).onSuccess(resp -> relay(req, resp, capture)).onFailure(e -> req.response().setStatusCode(502).end());
    }

    private void relay(HttpServerRequest req, HttpClientResponse resp, CacheCapture capture) {
        req.response().setStatusCode(resp.statusCode());
        resp.headers().forEach(h -> {
            String n = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!n.equals("content-length") && !n.equals("transfer-encoding") && !n.equals("connection")) {
                req.response().putHeader(h.getKey(), h.getValue());
            }
        });
        boolean sse = String.valueOf(resp.getHeader("content-type")).startsWith("text/event-stream");
        if (sse) {
            req.response().setChunked(true);
            SseFramer framer = new SseFramer();
            List<SseEvent> events = new ArrayList<>();
            resp.handler(chunk -> {
                events.clear();
                framer.feed(chunk, events);
                for (SseEvent e : events) {
                    req.response().write(Buffer.buffer(e.raw()));
                    if (capture != null) {
                        capture.onEvent(e);
                    }
                }
            });
            resp.endHandler(v -> {
                req.response().end();
                done(capture, resp.statusCode());
            });
        } else {
            resp.body().onSuccess(b -> {
                req.response().end(b);
                if (capture != null) {
                    capture.onBody(resp.statusCode(), b.getBytes());
                }
                done(capture, resp.statusCode());
            });
        }
    }

    private void done(CacheCapture capture, int status) {
        if (capture != null) {
            pending.add(capture.finish(status));
        }
    }

    @Override
    public void close() {
        server.close().await();
        client.close().await();
    }
}
