package dev.sluice.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;

/**
 * One event loop's share of the simulator: an HTTP server on the common port. Vert.x spreads accepted
 * connections across all servers bound to the same host and port, so N instances use N event loops.
 */
final class SimVerticle extends VerticleBase {

    private final SimContext sim;
    private final int port;

    SimVerticle(SimContext sim, int port) {
        this.sim = sim;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(sim.options().host())
                .setPort(port)
                .setMaxHeaderSize(64 * 1024)       // Claude Code sends many x-stainless-* and beta headers
                .setMaxInitialLineLength(16 * 1024)
                .setTcpNoDelay(true);              // SSE events must leave at once, not wait for Nagle
        return vertx.createHttpServer(options)
                .requestHandler(new SimRequestHandler(vertx, sim))
                .listen();
    }
}
