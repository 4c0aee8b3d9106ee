package dev.sluice.front;

import dev.sluice.config.LiveConfig;
import dev.sluice.config.ServerConfig;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.respond.Replies;
import dev.sluice.signin.tls.TlsSetup;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.wire.ApiError;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The HTTP front, one instance per event loop. API calls (the front doors' {@link ApiRoute}s)
 * become an {@link Exchange} at once, with the request paused, and go to this loop's
 * {@link Pipeline}, whose inspect stage reads the body after authentication. Everything else is
 * answered here: probes, health, the gateway's own endpoints ({@link ExtraRoute}), unknown paths,
 * wrong methods and requests the HTTP layer could not parse, each with an error envelope that
 * carries a request id.
 */
public final class FrontServer extends VerticleBase {
    /** Largest body chunk handed over at once; one socket read brings at most 64 KB by default anyway. */
    private static final int MAX_CHUNK = 1024 * 1024;
    /** Largest request head: HTTP/1's line plus headers, HTTP/2's header list. */
    private static final int MAX_HEAD = 64 * 1024;
    private final ServerConfig config;
    private final int port;
    private final LiveConfig live;
    private final Function<Vertx, Pipeline> pipelineFactory;
    private final List<ApiRoute> apiRoutes;
    private final List<ExtraRoute> extraRoutes;
    private final BooleanSupplier ready;
    private final FrontStats stats;
    private final Refusals refusals;
    private final Drain drain;
    private final ConnectionCap cap;
    /** This instance's event loop's idle connections: at the bound a new connection takes the oldest one's place. */
    private final IdleConnections idle = new IdleConnections();
    private Pipeline pipeline;
    private HttpServer server;

    public FrontServer(ServerConfig config, int port, LiveConfig live, Function<Vertx, Pipeline> pipelineFactory,
                       List<ApiRoute> apiRoutes, List<ExtraRoute> extraRoutes, Refusals refusals, BooleanSupplier ready,
                       FrontStats stats, Drain drain, ConnectionCap cap) {
        this.refusals = refusals;
        this.cap = cap;
        this.drain = drain;
        this.config = config;
        this.port = port;
        this.live = live;
        this.pipelineFactory = pipelineFactory;
        this.apiRoutes = List.copyOf(apiRoutes);
        this.extraRoutes = List.copyOf(extraRoutes);
        this.ready = ready;
        this.stats = stats;
    }

    @Override
    public Future<?> start() {
        pipeline = pipelineFactory.apply(vertx);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setMaxHeaderSize(MAX_HEAD)
                .setMaxInitialLineLength(16 * 1024)
                // A body chunk is as large as what one socket read brought (up to this), not 8 KB: a request
                // read in one go reaches BodyReader as one chunk it can keep instead of aggregating copies.
                .setMaxChunkSize(MAX_CHUNK)
                .setDecompressionSupported(true)
                // No h2c: a cleartext connection is HTTP/1 from its first byte, so the connection guard
                // times it from the moment it opens. (Coding agents speak HTTP/1.1; HTTP/2 comes with TLS.)
                .setHttp2ClearTextEnabled(false);
        // server.tls (sign-in, issue 13): HTTPS with the operator's or a self-signed certificate, and HTTP/2 by
        // ALPN. Resolved once per process, so every event loop's server presents the same leaf certificate.
        if (TlsSetup.apply(options, config.tls()) != null) {
            http2Limits(options);
        }
        server = vertx.createHttpServer(options)
                .connectionHandler(this::connected)
                .invalidRequestHandler(this::invalid)
                .requestHandler(this::handle);
        return server.listen();
    }

    /**
     * HTTP/2's flow control grants a client bytes before anyone reads them: a stream the gateway is not reading (paused
     * while its caller is authenticated, or waiting for the {@code BodyBudget}) still receives what the windows allow,
     * held in the heap. Vert.x's default connection window (16 MB) let each connection hold that much whatever the
     * body budget said, so a few unauthenticated connections filled a 192 MB heap (attack round 14). One megabyte per
     * connection is about what an HTTP/1 connection can overshoot by (one read of up to {@link #MAX_CHUNK}) and, as
     * credit returns as bodies are read, still a megabyte per round trip for uploads. The header list matches
     * HTTP/1's 64 KB head, so a request is not refused on one version and served on the other.
     */
    private static void http2Limits(HttpServerOptions options) {
        options.setHttp2ConnectionWindowSize(MAX_CHUNK);
        options.getInitialSettings().setInitialWindowSize(MAX_CHUNK).setMaxHeaderListSize(MAX_HEAD);
    }

    private void connected(HttpConnection conn) {
        stats.connected();
        ConnectionCap.Admission admission = cap.admit(live.current().config().server().maxConnections());
        if (admission != ConnectionCap.Admission.ADMITTED) {
            ConnectionGuard oldest = idle.takeOldest();
            if (oldest != null) {
                oldest.evict(); // an unused slot goes to the newcomer: an idle flood cannot shut clients out
                admission = ConnectionCap.Admission.ADMITTED;
            }
        }
        conn.closeHandler(v -> {
            stats.disconnected();
            cap.closed();
        });
        if (admission == ConnectionCap.Admission.CLOSE) {
            stats.countClose(FrontStats.Close.CAPACITY);
            conn.close();
            return;
        }
        if (conn instanceof ConnectionBase base) {
            boolean refused = admission == ConnectionCap.Admission.ANSWER_AND_CLOSE;
            if (refused) {
                stats.countClose(FrontStats.Close.CAPACITY);
                base.channel().attr(ConnectionCap.REFUSED).set(Boolean.TRUE);
            }
            // A refused connection has a second to send the request its refusal answers.
            long idleMillis = refused ? ConnectionCap.REFUSED_WAIT_MILLIS : config.idleTimeout().toMillis();
            long head = refused ? ConnectionCap.REFUSED_WAIT_MILLIS : config.headerTimeout().toMillis();
            ConnectionGuard guard = new ConnectionGuard(idleMillis, head, refused ? null : stats, drain, // counted once, above
                    refused ? null : idle);
            base.channel().pipeline().addFirst(ConnectionGuard.NAME, guard);
            if (base.channel().pipeline().get("httpDecoder") != null) { // HTTP/1 only: h2 has no request line
                base.channel().pipeline().addAfter("httpDecoder", VersionCheck.NAME, new VersionCheck());
            }
            Http2ConnectionHandler h2 = base.channel().pipeline().get(Http2ConnectionHandler.class);
            if (h2 != null) {
                guard.http2(h2.connection()); // idle is then no stream open, not no bytes read
            }
        }
    }

    private void handle(HttpServerRequest req) {
        if (Replies.closing(req)) {
            req.connection().close(); // pipelined behind an answer that said connection: close; the client sends it again
            return;
        }
        long arrived = System.nanoTime();
        guard(req);
        if (drain.draining()) {
            Replies.closeAfter(req); // stopping: no connection is kept for a next request
        }
        String path = trimSlash(req.path());
        if (ConnectionCap.refused(req)) {
            ConnectionCap.closeAfter(req);
            reject(req, arrived, envelopeFor(path, req), ConnectionCap.REFUSAL);
            return;
        }
        ApiError tooMuch = RequestLimits.check(req); // issue 12: header count and Host, which the HTTP layer lets through
        if (tooMuch != null) {
            Replies.closeAfter(req); // the unread body must not be taken for a next request
            reject(req, arrived, envelopeFor(path, req), tooMuch);
            return;
        }
        for (ApiRoute route : apiRoutes) {
            if (route.matches(path, req)) {
                if (route.method() == req.method()) {
                    api(req, arrived, route);
                    return;
                }
                if (!methodServedElsewhere(path, req)) {
                    reject(req, arrived, route.protocol(), new ApiError(405, "invalid_request_error",
                            req.method() + " is not allowed on " + path, false, null));
                    return;
                }
            }
        }
        switch (path) {
            case "", "/api/hello" -> probe(req);
            case "/healthz" -> health(req, true);
            case "/readyz" -> readiness(req);
            default -> other(req, arrived, path);
        }
    }

    /**
     * The envelope for a refusal made before a request reaches its front door (a header flood, a head the HTTP layer
     * could not parse): the door's own when the path is one of its calls, so an OpenAI client on
     * {@code /v1/chat/completions} reads OpenAI's shape; otherwise the front's default. {@code req} null: the head
     * was not parsed, so a path two doors share (told apart by a header) gets the default.
     */
    private ClientProtocol envelopeFor(String path, HttpServerRequest req) {
        ClientProtocol only = null;
        for (ApiRoute route : apiRoutes) {
            if (req == null ? route.matches(path) : route.matches(path, req)) {
                if (req != null) {
                    return route.protocol();
                }
                if (only != null && only != route.protocol()) {
                    return refusals.protocolFor(path);
                }
                only = route.protocol();
            }
        }
        return only != null ? only : refusals.protocolFor(path);
    }

    private boolean methodServedElsewhere(String path, HttpServerRequest req) {
        for (ApiRoute r : apiRoutes) {
            if (r.matches(path, req) && r.method() == req.method()) {
                return true;
            }
        }
        return false;
    }

    private void other(HttpServerRequest req, long arrived, String path) {
        for (ExtraRoute route : extraRoutes) {
            if (route.matches(path)) {
                route.handler().handle(req);
                return;
            }
        }
        for (ApiRoute route : apiRoutes) {
            ApiError own = route.protocol().unserved(req.method().name(), path);
            if (own != null) {
                reject(req, arrived, route.protocol(), own); // its clients read its envelope, also here
                return;
            }
        }
        ClientProtocol protocol = refusals.protocolFor(path);
        if (refusals.unsupported(path)) {
            reject(req, arrived, protocol, ApiError.notSupported(req.method() + " " + path + " is not supported by this gateway"));
            return;
        }
        reject(req, arrived, protocol, ApiError.notFound("Not found: " + req.method() + " " + Replies.bounded(path)));
    }

    private void api(HttpServerRequest req, long arrived, ApiRoute route) {
        Exchange ex = new Exchange(RequestIds.next(), arrived, req, route.operation(), route.template(), route.protocol(),
                live.current());
        if (!drain.admit(ex, context)) {
            reject(req, arrived, route.protocol(), Drain.REFUSAL); // the gateway is stopping: retry elsewhere
            return;
        }
        if (route.operation().hasBody()) {
            req.pause(); // the inspect stage reads the body, once the caller is known
        }
        pipeline.run(ex).onComplete(ar -> drain.done(ex));
    }

    /** Requests the HTTP layer could not parse: the right status, an envelope, a request id, and the connection closed. */
    private void invalid(HttpServerRequest req) {
        stats.invalidRequest();
        DecoderResult result = req.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        ApiError error;
        if (cause instanceof TooLongHttpLineException) {
            error = new ApiError(414, "invalid_request_error", "Request line too long (expected: at most 16 KB)", false, null);
        } else if (cause instanceof TooLongHttpHeaderException) {
            error = new ApiError(431, "invalid_request_error", "Request headers too large (expected: at most 64 KB)", false, null);
        } else if (req.version() == null || cause instanceof VersionCheck.UnsupportedVersion) {
            error = new ApiError(505, "invalid_request_error", "HTTP version not supported (expected: HTTP/1.0, 1.1 or 2)", false, null);
        } else {
            error = ApiError.invalidRequest("Malformed HTTP request");
        }
        req.response().headers().set("connection", "close");
        // Set before the answer: once it is written Vert.x refuses a close handler (an IllegalStateException that left
        // the connection open instead of closing it; fixed with issue 12).
        req.response().closeHandler(v -> { });
        Replies.send(req.response(), envelopeFor(req.path() == null ? "" : trimSlash(req.path()), null), error, RequestIds.next(), 0);
        req.connection().close();
    }

    private void reject(HttpServerRequest req, long arrived, ClientProtocol protocol, ApiError error) {
        stats.refused();
        if (req.response().ended() || req.response().closed()) {
            return;
        }
        if (!req.isEnded() && !drainable(req)) {
            Replies.closeAfter(req); // a body that may never come, or is not worth reading, ends the connection
        }
        Replies.send(req.response(), protocol, error, RequestIds.next(), (System.nanoTime() - arrived) / 1e6);
    }

    /** Most a refused HTTP/1 request's body may declare for its connection to be kept (its bytes read and dropped). */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    /**
     * Whether an HTTP/1 connection stays usable after refusing a request without reading its body: the HTTP layer
     * reads the rest of a declared body and drops it, so a client that sends its body whole (a 404 for a typo'd path)
     * keeps its connection. Not when the client holds its body back for a {@code 100 Continue} that will not come (the
     * next request would be read as that body), when the body is large or of unknown length (reading it only to drop
     * it costs more than a new connection), or on HTTP/2, where the stream is reset instead (see
     * {@link Replies#closeAfter}).
     */
    private static boolean drainable(HttpServerRequest req) {
        if (req.version() == HttpVersion.HTTP_2 || req.getHeader("expect") != null) {
            return false;
        }
        String length = req.getHeader("content-length");
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) <= DRAIN_LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Tells the connection guard a request is being served, and when it is over. An HTTP/2
     * connection multiplexes requests: its guard follows the streams itself ({@link ConnectionGuard#http2}).
     */
    private static void guard(HttpServerRequest req) {
        if (req.version() == HttpVersion.HTTP_2 || !(req.connection() instanceof ConnectionBase base)) {
            return;
        }
        ConnectionGuard g = base.channel().attr(ConnectionGuard.KEY).get();
        if (g == null) {
            return;
        }
        g.requestStarted();
        req.response().endHandler(v -> g.responseEnded());
    }

    private static void probe(HttpServerRequest req) {
        req.response().putHeader("content-type", "application/json").end(req.method() == HttpMethod.HEAD ? "" : "{\"ok\":true}");
    }

    /** Not ready while stopping (a balancer sends no more), nor when the ledger's writer has stopped. */
    private void readiness(HttpServerRequest req) {
        if (drain.draining()) {
            req.response().setStatusCode(503).putHeader("content-type", "application/json")
                    .end("{\"status\":\"draining\",\"reason\":\"the gateway is stopping; in-flight requests are finishing\"}");
            return;
        }
        health(req, ready.getAsBoolean());
    }

    /**
     * {@code /readyz} is false only when the ledger's writer has stopped (see {@code Ledger.writing}): answers would
     * still be journaled, but nothing reaches the table, so a balancer should send callers elsewhere until a restart.
     */
    private static void health(HttpServerRequest req, boolean ok) {
        req.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
                .end(ok ? "{\"status\":\"ok\"}"
                        : "{\"status\":\"unavailable\",\"reason\":\"the ledger writer has stopped; restart the gateway\"}");
    }

    /** {@code /v1/messages/} is {@code /v1/messages}; {@code /} is the empty path of the probes. */
    public static String trimSlash(String path) {
        return path.equals("/") ? "" : dev.sluice.wire.Paths.withoutTrailingSlash(path);
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
