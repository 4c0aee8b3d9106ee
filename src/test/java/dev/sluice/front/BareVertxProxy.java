package dev.sluice.front;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor under the gateway's CPU per request: Vert.x's HTTP server and client relaying a request with nothing
 * else (no pipeline, no ledger, no telemetry), the same way the gateway does it (native transport when on the classpath, the body read whole, sent whole;
 * the answer read whole, written whole). Whatever this costs per request, the gateway built on Vert.x cannot cost
 * less; docs/benchmarks.md compares it with nginx and with the gateway in the same run.
 *
 * <p>Usage: {@code BareVertxProxy LISTEN_PORT UPSTREAM_PORT [EVENT_LOOPS]} (a benchmark tool, not a test).
 */
public final class BareVertxProxy {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        for (int i = 0; i < loops; i++) {
            vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
                @Override
                public io.vertx.core.Future<?> start() {
                    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                            new PoolOptions().setHttp1MaxSize(64));
                    var options = new io.vertx.core.http.HttpServerOptions()
                            .setStrictThreadMode(Boolean.getBoolean("strict"))
                            .setDecompressionSupported(Boolean.getBoolean("decompress"));
                    return vertx.createHttpServer(options).requestHandler(req -> relay(client, upstream, req)).listen(port);
                }
            }, new io.vertx.core.DeploymentOptions()).await();
        }
        System.out.println("bare proxy on " + port + " -> " + upstream);
    }

    private static void relay(HttpClient client, int upstream, HttpServerRequest req) {
        req.body().compose(body -> {
            RequestOptions out = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(upstream)
                    .setURI(req.uri()).setHeaders(req.headers().remove("host").remove("connection"));
            return client.request(out).compose(r -> r.send(body)).compose(resp -> resp.body().map(b -> {
                req.response().setStatusCode(resp.statusCode()).headers().setAll(resp.headers())
                        .remove("connection").remove("transfer-encoding");
                return b;
            }));
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                req.response().end(ar.result());
            } else {
                req.response().setStatusCode(502).end();
            }
        });
    }
}
