package dev.sluice.accept;

import dev.sluice.config.ServerConfig;
import dev.sluice.pipeline.Endpoint;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The HTTP front, one instance per event loop. Everything that is not an API call (probes, health,
 * unknown paths, wrong methods) is answered here; API calls become an {@link Exchange} at once,
 * with the request paused, and go to this loop's {@link Pipeline}, whose {@link InspectStage}
 * reads the body after authentication.
 */
public final class FrontServer extends VerticleBase {
    private final ServerConfig config;
    private final int port;
    private final Function<Vertx, Pipeline> pipelineFactory;
    private final List<ExtraRoute> extraRoutes;
    private final BooleanSupplier ready;
    private Pipeline pipeline;
    private HttpServer server;

    public FrontServer(ServerConfig config, int port, Function<Vertx, Pipeline> pipelineFactory,
                       List<ExtraRoute> extraRoutes, BooleanSupplier ready) {
        this.config = config;
        this.port = port;
        this.pipelineFactory = pipelineFactory;
        this.extraRoutes = List.copyOf(extraRoutes);
        this.ready = ready;
    }

    @Override
    public Future<?> start() {
        pipeline = pipelineFactory.apply(vertx);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setMaxHeaderSize(64 * 1024)
                .setMaxInitialLineLength(16 * 1024)
                .setDecompressionSupported(true);
        server = vertx.createHttpServer(options).requestHandler(this::handle);
        return server.listen();
    }

    private void handle(HttpServerRequest req) {
        long arrived = System.nanoTime();
        String path = trimSlash(req.path());
        HttpMethod method = req.method();
        switch (path) {
            case "/v1/messages" -> api(req, arrived, method == HttpMethod.POST, Endpoint.MESSAGES);
            case "/v1/messages/count_tokens" -> api(req, arrived, method == HttpMethod.POST, Endpoint.COUNT_TOKENS);
            case "/v1/models" -> api(req, arrived, method == HttpMethod.GET, Endpoint.MODELS);
            case "", "/api/hello" -> probe(req);
            case "/healthz" -> health(req, true);
            case "/readyz" -> health(req, ready.getAsBoolean());
            default -> other(req, arrived, path, method);
        }
    }

    private void other(HttpServerRequest req, long arrived, String path, HttpMethod method) {
        if (path.startsWith("/v1/models/")) {
            api(req, arrived, method == HttpMethod.GET, Endpoint.MODELS);
            return;
        }
        for (ExtraRoute route : extraRoutes) {
            if (route.matches(path)) {
                route.handler().handle(req);
                return;
            }
        }
        if (path.startsWith("/v1/messages/batches") || path.startsWith("/v1/files") || path.equals("/v1/complete")
                || path.startsWith("/v1/skills") || path.startsWith("/v1/organizations")) {
            reject(req, arrived, ApiError.notSupported(method + " " + path + " is not supported by this gateway"));
            return;
        }
        reject(req, arrived, ApiError.notFound("Not found: " + method + " " + path));
    }

    private void api(HttpServerRequest req, long arrived, boolean methodOk, Endpoint endpoint) {
        if (!methodOk) {
            reject(req, arrived, new ApiError(405, "invalid_request_error",
                    req.method() + " is not allowed on " + req.path(), false, null));
            return;
        }
        if (endpoint != Endpoint.MODELS) {
            req.pause(); // the inspect stage reads the body, once the caller is known
        }
        pipeline.run(new Exchange(RequestIds.next(), arrived, req, endpoint, endpoint == Endpoint.MODELS ? Buffer.buffer() : null));
    }

    private static void reject(HttpServerRequest req, long arrived, ApiError error) {
        if (req.response().ended() || req.response().closed()) {
            return;
        }
        Replies.commonHeaders(req.response().headers(), RequestIds.next(), (System.nanoTime() - arrived) / 1e6);
        Replies.send(req.response(), error, req.response().headers().get("request-id"));
    }

    private static void probe(HttpServerRequest req) {
        req.response().putHeader("content-type", "application/json").end(req.method() == HttpMethod.HEAD ? "" : "{\"ok\":true}");
    }

    private static void health(HttpServerRequest req, boolean ok) {
        req.response().setStatusCode(ok ? 200 : 503).putHeader("content-type", "application/json")
                .end(ok ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}");
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path.equals("/") ? "" : path;
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
