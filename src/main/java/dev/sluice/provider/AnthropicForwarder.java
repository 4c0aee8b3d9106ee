package dev.sluice.provider;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UpstreamConfig.UpstreamKey;
import dev.sluice.pipeline.Endpoint;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Forwarder;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.stream.BodyRelay;
import dev.sluice.stream.StreamRelay;
import dev.sluice.stream.StreamSettings;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.HeaderRules;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Map.Entry;

/**
 * Sends an exchange to an Anthropic-protocol upstream: the client's headers (less transport and
 * credential headers), the upstream's own key, the body bytes as they are. A first-byte timer
 * turns a silent upstream into a 504; connection failures become 502s; anything the upstream
 * answers, errors included, is relayed as it is.
 */
public final class AnthropicForwarder implements Forwarder {
    private final Vertx vertx;
    private final Map<String, Upstream> upstreams = new HashMap<>();
    private final long firstByteMillis;
    private final StreamSettings streamSettings;

    public AnthropicForwarder(Vertx vertx, SluiceConfig config) {
        this.vertx = vertx;
        config.upstreams().forEach(u -> upstreams.put(u.name(), new Upstream(vertx, u, config.timeouts())));
        this.firstByteMillis = config.timeouts().firstByte().toMillis();
        this.streamSettings = StreamSettings.from(config);
    }

    @Override
    public Future<Void> forward(Exchange ex, Pipeline pipeline) {
        Upstream upstream = upstreams.get(ex.target().upstream());
        ex.nextAttempt();
        RequestOptions options = upstream.request(method(ex), pathAndQuery(ex));
        headers(ex, upstream, options.getHeaders() == null ? newHeaders(options) : options.getHeaders());
        Promise<Void> done = Promise.promise();
        long t0 = System.nanoTime();
        int attempt = ex.attempts();
        done.future().onComplete(ar -> ex.mark("upstream attempt " + attempt, t0, System.nanoTime(),
                upstream.name() + " status " + ex.status() + (ar.failed() ? " " + ar.cause().getMessage() : "")));
        upstream.client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(connectFailure(upstream, ar.cause()));
            } else {
                send(ex, pipeline, upstream, ar.result(), done);
            }
        });
        return done.future();
    }

    private void send(Exchange ex, Pipeline pipeline, Upstream upstream, HttpClientRequest req, Promise<Void> done) {
        boolean[] timedOut = {false};
        long timer = vertx.setTimer(firstByteMillis, id -> {
            timedOut[0] = true;
            req.reset();
        });
        ex.response().closeHandler(v -> {
            if (!ex.response().ended()) {
                ex.markClientGone();
                if (!streamSettings.drainOnDisconnect()) {
                    req.reset();
                }
            }
        });
        ex.markUpstreamSent();
        Future<HttpClientResponse> answer = ex.endpoint() == Endpoint.MODELS ? req.send() : req.send(ex.upstreamBody());
        answer.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed()) {
                done.fail(timedOut[0]
                        ? ApiError.gatewayTimeout("Upstream '" + upstream.name() + "' sent no response within " + firstByteMillis + " ms")
                        : ex.clientGone() ? ApiError.badGateway("Client went away") : responseFailure(upstream, ar.cause()));
                return;
            }
            ex.markUpstreamAnswered();
            HttpClientResponse resp = ar.result();
            try {
                if (isEventStream(resp)) {
                    new StreamRelay(vertx, ex, pipeline, req, resp, streamSettings).start().onComplete(done);
                } else {
                    new BodyRelay(vertx, ex, pipeline, resp, streamSettings).start().onComplete(done);
                }
            } catch (RuntimeException e) {
                req.reset();
                done.tryFail(e);
            }
        });
    }

    private static HttpMethod method(Exchange ex) {
        return ex.endpoint() == Endpoint.MODELS ? HttpMethod.GET : HttpMethod.POST;
    }

    private static String pathAndQuery(Exchange ex) {
        String path = ex.endpoint() == Endpoint.MODELS ? trimSlash(ex.request().path()) : ex.endpoint().path();
        String query = ex.request().query();
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static MultiMap newHeaders(RequestOptions options) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        options.setHeaders(h);
        return h;
    }

    private static void headers(Exchange ex, Upstream upstream, MultiMap out) {
        MultiMap in = ex.request().headers();
        Set<String> nominated = HeaderRules.nominated(in);
        for (Entry<String, String> h : in) {
            if (HeaderRules.forwardUpstream(h.getKey())
                    && (nominated.isEmpty() || !nominated.contains(h.getKey().toLowerCase(Locale.ROOT)))) {
                out.add(h.getKey(), h.getValue());
            }
        }
        if (upstream.hasKeys()) {
            UpstreamKey key = upstream.keyFor(stickyKey(ex));
            out.set("x-api-key", key.value());
            ex.upstreamKeyAlias(key.alias());
        } else if (ex.identity() != null && ex.identity().isOpen()) {
            // Open local mode with no upstream key: the caller's own credential goes through.
            copy(in, out, "x-api-key");
            copy(in, out, "authorization");
            ex.upstreamKeyAlias("caller");
        }
    }

    private static void copy(MultiMap in, MultiMap out, String name) {
        String v = in.get(name);
        if (v != null) {
            out.set(name, v);
        }
    }

    /** A conversation's identity: its session (header or metadata), else the caller's key. */
    private static String stickyKey(Exchange ex) {
        String session = ex.sessionId();
        return session != null ? session : ex.identity() == null ? null : ex.identity().keyId();
    }

    private static boolean isEventStream(HttpClientResponse resp) {
        String type = resp.getHeader("content-type");
        return resp.statusCode() == 200 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    private static ApiError connectFailure(Upstream upstream, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (why.contains("timed out")) {
            return ApiError.gatewayTimeout("Connecting to upstream '" + upstream.name() + "' timed out: " + why);
        }
        if (cause instanceof ConnectException || why.toLowerCase().contains("connect")) {
            return ApiError.badGateway("Could not connect to upstream '" + upstream.name() + "': " + why);
        }
        return ApiError.badGateway("Upstream '" + upstream.name() + "' failed: " + why);
    }

    private static ApiError responseFailure(Upstream upstream, Throwable cause) {
        return ApiError.badGateway("Upstream '" + upstream.name() + "' closed the connection before responding");
    }
}
