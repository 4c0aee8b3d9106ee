package dev.sluice;

import dev.sluice.accept.ExtraRoute;
import dev.sluice.accept.FrontServer;
import dev.sluice.authenticate.AuthenticateStage;
import dev.sluice.authenticate.StaticKeys;
import dev.sluice.config.SluiceConfig;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Replies;
import dev.sluice.pipeline.Stage;
import dev.sluice.provider.AnthropicForwarder;
import dev.sluice.route.RouteStage;
import dev.sluice.route.Router;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a running gateway from a configuration: the stages in pipeline order (written here and
 * nowhere else), the forwarder, and one front server per event loop.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final int port;
    private final String host;

    private Gateway(Vertx vertx, String host, int port) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
    }

    /** Starts the gateway; the future completes when it accepts connections. */
    public static Future<Gateway> start(SluiceConfig config) {
        int loops = config.server().effectiveEventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        int port = config.server().port() == 0 ? freePort() : config.server().port();
        List<Stage> stages = stages(config);
        warnIfOpen(config);
        return vertx.deployVerticle(
                        () -> new FrontServer(config.server(), port,
                                v -> new Pipeline(stages, new AnthropicForwarder(v, config), new Replies()),
                                List.<ExtraRoute>of(), () -> true),
                        new DeploymentOptions().setInstances(loops))
                .map(id -> new Gateway(vertx, config.server().host(), port))
                .onFailure(e -> vertx.close());
    }

    /** The request pipeline, in the order a request meets it. */
    static List<Stage> stages(SluiceConfig config) {
        return List.of(
                new AuthenticateStage(new StaticKeys(config.auth().keys()), config.auth().open()),
                new RouteStage(new Router(config)));
    }

    private static void warnIfOpen(SluiceConfig config) {
        if (config.auth().keys().isEmpty() || config.auth().open()) {
            LOG.warn("OPEN MODE: no gateway keys are configured, so anyone who can reach {}:{} can use this gateway."
                    + " Add auth.keys (or issue keys) before sharing it.", config.server().host(), config.server().port());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Future<Void> stop() {
        return vertx.close();
    }
}
